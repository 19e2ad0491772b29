// Mutation fuzzing helpers shared by the fuzz tests: hostile JSON values, and arbitraries that take a
// valid example (an API body, a centre reply) and break one thing in it — replace a value deep
// inside, delete a key, add an unknown key, or swap the whole document — remembering what they did.
import fc from 'fast-check';

export type Path = ReadonlyArray<string | number>;

export interface Mutation {
  readonly kind: 'replace' | 'delete' | 'add' | 'root';
  /** Where: the replaced/deleted value, the object a key was added to, or [] for the root. */
  readonly path: Path;
  /** The added key (kind add). */
  readonly key?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every path in a JSON document, the root ([]) first. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function parentOf(root: unknown, path: Path): unknown {
  let node = root;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[step];
  return node;
}

/** A copy with the value at `path` replaced (defineProperty, so even "__proto__" is a plain key). */
export function replaceAt(doc: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const copy = clone(doc);
  Object.defineProperty(parentOf(copy, path), path[path.length - 1]!, { value: next, enumerable: true, writable: true, configurable: true });
  return copy;
}

export function deleteAt(doc: unknown, path: Path): unknown {
  const copy = clone(doc);
  const parent = parentOf(copy, path) as Record<string | number, unknown> | unknown[];
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

/** Strings that break naive parsers: empty, blank, numeric look-alikes, control characters, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '\t\n', '0', '-1', '-0', '1e3', '1E-7', 'NaN', 'Infinity', '０１２３', '12,30', '12.345', '0x1F', '9'.repeat(40),
    'null', 'true', '[]', '{}', '\u0000', '\u202e', '😀', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '2025-02-30', '2026-13-01', '__proto__'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer({ min: 200, max: 5000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value, biased towards the ones that trip validators. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 0.1 + 0.2, 1e21, -1e21, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, [], {}, [[[[]]]], { '': '' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

const keyName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'id', ''), fc.string({ maxLength: 12 }));

/** One mutation of a valid example, with a record of what it did. */
export function mutationOf(example: unknown): fc.Arbitrary<{ doc: unknown; mutation: Mutation }> {
  const all = pathsOf(example);
  const inner = all.filter((p) => p.length > 0);
  const objects = all.filter((p) => isObject(p.reduce<unknown>((n, s) => (n as Record<string | number, unknown>)[s], example)));
  const options: Array<fc.Arbitrary<{ doc: unknown; mutation: Mutation }>> = [
    hostileJson.map((value) => ({ doc: value, mutation: { kind: 'root' as const, path: [] } })),
  ];
  if (inner.length) {
    options.push(fc.tuple(fc.constantFrom(...inner), hostileJson).map(([path, value]) => ({ doc: replaceAt(example, path, value), mutation: { kind: 'replace' as const, path } })));
    options.push(fc.constantFrom(...inner).map((path) => ({ doc: deleteAt(example, path), mutation: { kind: 'delete' as const, path } })));
  }
  if (objects.length) {
    options.push(fc.tuple(fc.constantFrom(...objects), keyName, hostileJson).map(([path, key, value]) => {
      const target = path.reduce<unknown>((n, s) => (n as Record<string | number, unknown>)[s], example) as Record<string, unknown>;
      const fresh = Object.prototype.hasOwnProperty.call(target, key) ? `${key}_x` : key;
      return { doc: replaceAt(example, [...path, fresh], value), mutation: { kind: 'add' as const, path, key: fresh } };
    }));
  }
  return fc.oneof(...options);
}
