// `npm run sandbox`: the sandbox insurance centre alone, for training and for testing a till against.
//   npm run sandbox -- [--port 17660] [--data-dir DIR] [--seed N] [--latency-ms 5-50] [--answer-ms 800] [--refuse-rate 0.05]
//     [--refuse-ms 500] [--error-rate 0.05] [--error-after-commit-rate 0.05] [--business-error-rate 0.01]
//     [--drop-rate 0.05] [--duplicate-rate 0.05] [--hostile wrong_types|missing_fields|huge_body|non_json|truncated|wrong_echo]
//     [--hostile-rate 1] [--fault-infnos 2102,5203] [--publish PACKAGE.json] [--quiet]
//     [--edition national|jilin|shenzhen] [--security plain|tif-headers|sm4-sm2 --keys-dir TERMINAL_DATA_DIR [--paas-id ID]]
// --edition makes it accept exactly that interface edition's messages; --security demands that
// gateway security, with the other half of the keys read from a terminal's data folder (centre-keys/).
// --publish adds a policy package (validated) to what the sandbox signs and publishes as an update.
// Listens on 127.0.0.1 only. Bad arguments exit 2 with a message naming the argument.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EDITION_ID, editionById } from '../../core/centre/editions';
import { SECURITY_MODES, supportedSecurityModes, type EditionProfile, type SecurityMode } from '../../core/centre/editions/schema';
import { parsePolicyPackage } from '../../core/policy/package';
import { CentreKeyError, loadSmKeys, readSecret } from '../../native/centre/security/keys';
import { defaultDataDir } from '../backend/config';
import { FaultConfig, HOSTILE_KINDS, type FaultConfigInput } from '../../native/sandbox/faults';
import { startSandbox, type SandboxSecurity } from '../../native/sandbox/server';
import { parseFlags, UsageError } from './flags';

export const DEFAULT_SANDBOX_PORT = 17660;

const options = {
  port: { type: 'string' }, 'data-dir': { type: 'string' }, seed: { type: 'string' }, 'latency-ms': { type: 'string' }, 'answer-ms': { type: 'string' },
  'refuse-rate': { type: 'string' }, 'refuse-ms': { type: 'string' }, 'error-rate': { type: 'string' },
  'error-after-commit-rate': { type: 'string' }, 'business-error-rate': { type: 'string' }, 'drop-rate': { type: 'string' },
  'duplicate-rate': { type: 'string' }, hostile: { type: 'string' }, 'hostile-rate': { type: 'string' }, 'fault-infnos': { type: 'string' },
  publish: { type: 'string' }, quiet: { type: 'boolean' },
  edition: { type: 'string' }, security: { type: 'string' }, 'keys-dir': { type: 'string' }, 'paas-id': { type: 'string' },
} as const;

function rate(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(text)) throw new UsageError(`--${flag}: must be a probability from 0 to 1, got ${JSON.stringify(text)}`);
  return Number(text);
}

function integer(text: string | undefined, flag: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) > max) throw new UsageError(`--${flag}: must be a whole number from 0 to ${max}, got ${JSON.stringify(text)}`);
  return Number(text);
}

export interface SandboxCliConfig {
  readonly port: number;
  readonly dataDir: string;
  readonly faults: FaultConfigInput;
  readonly quiet: boolean;
  /** A policy package to publish (parsed and validated). */
  readonly publish: unknown;
  readonly edition: EditionProfile;
  readonly security: SandboxSecurity;
}

/** N or MIN-MAX milliseconds. */
function millisRange(value: string | undefined, flag: string): [number, number] | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(value);
  if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new UsageError(`--${flag}: must be N or MIN-MAX milliseconds, got ${JSON.stringify(value)}`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

export function sandboxConfigFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SandboxCliConfig {
  const f = parseFlags(argv, options);
  const latencyMs = millisRange(f['latency-ms'], 'latency-ms');
  const answerMs = millisRange(f['answer-ms'], 'answer-ms');
  if (f.hostile !== undefined && !(HOSTILE_KINDS as readonly string[]).includes(f.hostile)) {
    throw new UsageError(`--hostile: must be one of ${HOSTILE_KINDS.join(', ')}, got ${JSON.stringify(f.hostile)}`);
  }
  const infnos = f['fault-infnos']?.split(',').map((s) => s.trim()).filter(Boolean);
  if (infnos?.some((i) => !/^\d{4}$/.test(i))) throw new UsageError(`--fault-infnos: must be comma-separated 4-digit transaction codes, got ${JSON.stringify(f['fault-infnos'])}`);
  const faults: FaultConfigInput = Object.fromEntries(Object.entries({
    seed: integer(f.seed, 'seed', 2 ** 31 - 1),
    latencyMs,
    answerMs,
    refuseRate: rate(f['refuse-rate'], 'refuse-rate'),
    refuseMs: integer(f['refuse-ms'], 'refuse-ms', 600_000),
    error5xxRate: rate(f['error-rate'], 'error-rate'),
    error5xxAfterCommitRate: rate(f['error-after-commit-rate'], 'error-after-commit-rate'),
    businessErrorRate: rate(f['business-error-rate'], 'business-error-rate'),
    dropAfterCommitRate: rate(f['drop-rate'], 'drop-rate'),
    duplicateReplyRate: rate(f['duplicate-rate'], 'duplicate-rate'),
    hostile: f.hostile,
    hostileRate: rate(f['hostile-rate'], 'hostile-rate'),
    infnos,
  }).filter(([, v]) => v !== undefined));
  const checked = FaultConfig.safeParse(faults);
  if (!checked.success) throw new UsageError(`fault flags: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (checked.data.refuseMs < 1) throw new UsageError('--refuse-ms: must be at least 1');
  const port = integer(f.port, 'port', 65535) ?? DEFAULT_SANDBOX_PORT;
  let publish: unknown = null;
  if (f.publish !== undefined) {
    try {
      publish = parsePolicyPackage(JSON.parse(readFileSync(f.publish, 'utf8')), f.publish);
    } catch (error) {
      throw new UsageError(`--publish: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  let edition: EditionProfile;
  try { edition = editionById(f.edition ?? DEFAULT_EDITION_ID); } catch (error) { throw new UsageError(`--edition: ${error instanceof Error ? error.message : String(error)}`); }
  const mode = f.security ?? 'plain';
  if (!(SECURITY_MODES as readonly string[]).includes(mode)) throw new UsageError(`--security: must be one of ${SECURITY_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  if (!supportedSecurityModes(edition).includes(mode as SecurityMode)) throw new UsageError(`--security: ${edition.id} cannot run ${mode}`);
  let security: SandboxSecurity = { mode: 'plain' };
  if (mode !== 'plain') {
    const keysDir = f['keys-dir'];
    if (!keysDir) throw new UsageError(`--keys-dir: needed with --security ${mode} (a terminal's data folder holding centre-keys/)`);
    try {
      if (mode === 'tif-headers') {
        if (!f['paas-id']) throw new UsageError('--paas-id: needed with --security tif-headers');
        security = { mode, paasId: f['paas-id'], paasToken: readSecret(keysDir, 'tif-paas-token') };
      } else {
        const keys = loadSmKeys(keysDir);
        security = { mode: 'sm4-sm2', sm4Key: keys.sm4Key, clientPublicKey: keys.sm2PublicKey };
      }
    } catch (error) {
      if (error instanceof CentreKeyError) throw new UsageError(`--keys-dir: ${error.message}`);
      throw error;
    }
  }
  return { port, dataDir: f['data-dir'] ?? join(defaultDataDir(env), 'sandbox'), faults, quiet: f.quiet ?? false, publish, edition, security };
}

const USAGE = `usage: npm run sandbox -- [--port ${DEFAULT_SANDBOX_PORT}] [--data-dir DIR] [--seed N] [--latency-ms MIN-MAX] [--answer-ms MIN-MAX] [--refuse-rate P] [--refuse-ms MS]
  [--error-rate P] [--error-after-commit-rate P] [--business-error-rate P] [--drop-rate P] [--duplicate-rate P]
  [--hostile ${HOSTILE_KINDS.join('|')}] [--hostile-rate P] [--fault-infnos 2102,5203] [--publish PACKAGE.json] [--quiet]`;

async function main(): Promise<void> {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) { console.log(USAGE); return; }
  let config: SandboxCliConfig;
  try {
    config = sandboxConfigFromArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) { console.error(`sandbox: ${error.message}`); process.exit(2); }
    throw error;
  }
  const sandbox = await startSandbox({ dataDir: config.dataDir, port: config.port, faults: config.faults, edition: config.edition, security: config.security, ...(config.quiet ? {} : { log: (line) => console.log(line) }) });
  if (config.publish !== null) console.log(`sandbox: publishing policy package ${sandbox.centre.publishPackage(config.publish).id}`);
  console.log(`sandbox centre listening on ${sandbox.url} (endpoint ${sandbox.endpoint}, edition ${config.edition.id}, security ${config.security.mode}, data: ${config.dataDir})`);
  const stop = (): void => { void sandbox.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && /sandbox\.ts$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(`sandbox: could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
