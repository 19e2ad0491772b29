// Messages in an edition's shape. Our code speaks the internal names (core/centre/tx/*); the wire
// speaks the edition's. Three directions, all driven by the profile alone:
//   toWire     client → centre: keeps exactly the fields the edition defines (renamed where it
//              says "from"), refuses a missing required field or an overlong value.
//   checkWire  what a platform does with a message it receives: names every unknown, missing or
//              overlong field (the sandbox answers those with infcode -1).
//   fromWire   centre → client (and the sandbox reading a request): back to internal names,
//              dropping what the edition does not define.
import { type FieldMap, type FieldSpec, type MessageSpec, type NodeSpec } from './schema';

export interface WireProblem {
  readonly path: string;
  readonly problem: 'unknown' | 'missing' | 'too_long' | 'not_object' | 'not_array';
  readonly detail: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '';
/** `from` may be a dotted path ("data.epc_qrcd") when an edition flattens one of our nodes. */
function getPath(source: Json, path: string): unknown {
  let here: unknown = source;
  for (const key of path.split('.')) here = isObject(here) ? here[key] : undefined;
  return here;
}

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let here = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(here[key])) here[key] = {};
    here = here[key] as Json;
  }
  here[keys[keys.length - 1]!] = value;
}

const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

function lengthProblem(path: string, spec: FieldSpec, value: unknown): WireProblem | null {
  if (spec.max === undefined || isEmpty(value)) return null;
  const length = [...textOf(value)].length;
  return length > spec.max ? { path, problem: 'too_long', detail: `${length} characters, at most ${spec.max}` } : null;
}

/** Projects the internal `source` onto `fields`: renamed, only defined fields, problems collected. */
function projectFields(fields: FieldMap, source: Json, path: string, problems: WireProblem[]): Json {
  const out: Json = {};
  for (const [wire, spec] of Object.entries(fields)) {
    const value = getPath(source, spec.from ?? wire);
    if (isEmpty(value)) {
      if (spec.required) problems.push({ path: `${path}${wire}`, problem: 'missing', detail: 'required by the edition' });
      if (value === undefined) continue;
    }
    const tooLong = lengthProblem(`${path}${wire}`, spec, value);
    if (tooLong) problems.push(tooLong);
    out[wire] = value;
  }
  return out;
}

function projectNode(name: string, node: NodeSpec, value: unknown, path: string, problems: WireProblem[]): unknown {
  const here = `${path}${name}`;
  const row = (item: unknown, at: string): Json => {
    if (!isObject(item)) { problems.push({ path: at, problem: 'not_object', detail: 'expected an object' }); return {}; }
    return projectMessage({ fields: node.fields, nodes: node.nodes }, item, `${at}.`, problems);
  };
  if (node.kind === 'array') {
    if (!Array.isArray(value)) { problems.push({ path: here, problem: 'not_array', detail: 'expected a list' }); return []; }
    if (node.required && value.length === 0) problems.push({ path: here, problem: 'missing', detail: 'at least one row is required by the edition' });
    return value.map((item, i) => row(item, `${here}[${i}]`));
  }
  return row(value, here);
}

function projectMessage(spec: MessageSpec, source: Json, path: string, problems: WireProblem[]): Json {
  const out = projectFields(spec.fields ?? {}, source, path, problems);
  for (const [wire, node] of Object.entries(spec.nodes ?? {})) {
    const value = source[node.from ?? wire];
    if (value === undefined || value === null) {
      if (node.required) problems.push({ path: `${path}${wire}`, problem: 'missing', detail: 'required by the edition' });
      // An explicit null ("no such settlement") is an answer of its own and travels as null.
      if (value === null) out[wire] = null;
      continue;
    }
    out[wire] = projectNode(wire, node, value, path, problems);
  }
  return out;
}

/** The message the edition defines, from our internal form. */
export function toWire(spec: MessageSpec, internal: Json, prefix = 'input.'): { readonly message: Json; readonly problems: readonly WireProblem[] } {
  const problems: WireProblem[] = [];
  const message = projectMessage(spec, internal, prefix, problems);
  return { message, problems };
}

/** Every field of `received` the edition does not define, lacks or finds too long. */
export function checkWire(spec: MessageSpec, received: unknown, prefix = 'input.'): WireProblem[] {
  const problems: WireProblem[] = [];
  if (!isObject(received)) return [{ path: prefix.replace(/\.$/, ''), problem: 'not_object', detail: 'expected an object' }];
  check(spec.fields ?? {}, spec.nodes ?? {}, received, prefix, problems);
  return problems;
}

function check(fields: FieldMap, nodes: Readonly<Record<string, NodeSpec>>, received: Json, path: string, problems: WireProblem[]): void {
  for (const key of Object.keys(received)) {
    if (!(key in fields) && !(key in nodes)) problems.push({ path: `${path}${key}`, problem: 'unknown', detail: 'not defined by the edition' });
  }
  for (const [name, spec] of Object.entries(fields)) {
    const value = received[name];
    if (spec.required && isEmpty(value)) problems.push({ path: `${path}${name}`, problem: 'missing', detail: 'required by the edition' });
    const tooLong = lengthProblem(`${path}${name}`, spec, value);
    if (tooLong) problems.push(tooLong);
  }
  for (const [name, node] of Object.entries(nodes)) {
    const value = received[name];
    const here = `${path}${name}`;
    if (value === undefined || value === null) {
      if (node.required) problems.push({ path: here, problem: 'missing', detail: 'required by the edition' });
      continue;
    }
    const rows = node.kind === 'array' ? value : [value];
    if (!Array.isArray(rows)) { problems.push({ path: here, problem: 'not_array', detail: 'expected a list' }); continue; }
    if (node.kind === 'array' && node.required && rows.length === 0) problems.push({ path: here, problem: 'missing', detail: 'at least one row is required by the edition' });
    rows.forEach((row, i) => {
      const at = node.kind === 'array' ? `${here}[${i}]` : here;
      if (!isObject(row)) { problems.push({ path: at, problem: 'not_object', detail: 'expected an object' }); return; }
      check(node.fields, node.nodes ?? {}, row, `${at}.`, problems);
    });
  }
}

/** Back to internal names; fields the edition does not define are dropped. */
export function fromWire(spec: MessageSpec, received: unknown): unknown {
  if (!isObject(received)) return received;
  const out: Json = {};
  for (const [wire, field] of Object.entries(spec.fields ?? {})) {
    if (wire in received) setPath(out, field.from ?? wire, received[wire]);
  }
  for (const [wire, node] of Object.entries(spec.nodes ?? {})) {
    if (!(wire in received)) continue;
    const value = received[wire];
    const inner = { fields: node.fields, nodes: node.nodes };
    out[node.from ?? wire] = node.kind === 'array' && Array.isArray(value) ? value.map((row) => fromWire(inner, row)) : value === null ? null : fromWire(inner, value);
  }
  return out;
}

export function describeProblems(problems: readonly WireProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.detail}`).join('; ');
}

const PROBLEM_ZH: Record<WireProblem['problem'], string> = {
  unknown: '接口版本未定义该字段', missing: '必填项为空', too_long: '超长', not_object: '应为对象', not_array: '应为数组',
};

/** As a platform words it in err_msg (the sandbox's answers reach the cashier). */
export function describeProblemsZh(problems: readonly WireProblem[]): string {
  return problems.map((p) => {
    const length = p.problem === 'too_long' ? /^(\d+) characters, at most (\d+)$/.exec(p.detail) : null;
    return `${p.path}: ${PROBLEM_ZH[p.problem]}${length ? `（${length[1]} 字符，最多 ${length[2]}）` : ''}`;
  }).join('；');
}
