// Backend settings from command-line flags and environment, validated at the boundary.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseFlags } from '../cli/flags';
import { LEDGER_SEATS, type LedgerSeat, TILL_ID } from '../../core/ledger/port';

export const DEFAULT_PORT = 17650;

export const BackendConfig = z.object({
  host: z.literal('127.0.0.1'),
  port: z.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  rendererDir: z.string().min(1).nullable(),
  mode: z.enum(['browser', 'electron']),
  /** The desktop shell's per-start secret; null in browser mode (see http/shell-token.ts). */
  shellToken: z.string().min(32).nullable().default(null),
  /** The store ledger (PostgreSQL connection string) and this till's id there; null: the stored setting, if any. */
  ledgerUrl: z.string().min(1).nullable().default(null),
  tillId: z.string().min(1).nullable().default(null),
  /** headoffice: head office's seat at a chain's ledger (no till registered, no sales); null: the stored setting (a till by default). */
  ledgerSeat: z.enum(LEDGER_SEATS).nullable().default(null),
});
export type BackendConfig = z.infer<typeof BackendConfig>;

export { UsageError as ConfigError } from '../cli/flags';
import { UsageError as ConfigError } from '../cli/flags';

/** Per-user data folder, as the OS expects it (overridable for multi-terminal stores). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'yibao-jiesuan');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'yibao-jiesuan');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'yibao-jiesuan');
}

export function parsePort(text: string, source: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new ConfigError(`${source}: port must be a number from 0 to 65535, got ${JSON.stringify(text)}`);
  return Number(text);
}

export function configFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv, rendererDir: string | null): BackendConfig {
  const flags = parseFlags(argv, { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'ledger-url': { type: 'string' }, 'till-id': { type: 'string' }, 'ledger-seat': { type: 'string' } });
  const port = flags.port !== undefined ? parsePort(flags.port, '--port')
    : env.YBJS_PORT !== undefined ? parsePort(env.YBJS_PORT, 'YBJS_PORT') : DEFAULT_PORT;
  const dataDir = flags['data-dir'] ?? env.YBJS_DATA_DIR ?? defaultDataDir(env);
  const ledgerUrl = flags['ledger-url'] ?? (env.YBJS_LEDGER_URL || null);
  const tillId = flags['till-id'] ?? (env.YBJS_TILL_ID || null);
  if (tillId !== null && !TILL_ID.test(tillId)) throw new ConfigError(`${flags['till-id'] !== undefined ? '--till-id' : 'YBJS_TILL_ID'}: a till id is T1 … T9 (or T01 … T09), got ${JSON.stringify(tillId)}`);
  const seat = flags['ledger-seat'] ?? (env.YBJS_LEDGER_SEAT || null);
  if (seat !== null && !(LEDGER_SEATS as readonly string[]).includes(seat)) {
    throw new ConfigError(`${flags['ledger-seat'] !== undefined ? '--ledger-seat' : 'YBJS_LEDGER_SEAT'}: the ledger seat is till or headoffice (总部：只读连锁账本、不登记收银台、不收银), got ${JSON.stringify(seat)}`);
  }
  return BackendConfig.parse({ host: '127.0.0.1', port, dataDir, rendererDir, mode: 'browser', ledgerUrl, tillId, ledgerSeat: seat as LedgerSeat | null });
}
