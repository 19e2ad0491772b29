// Per-terminal settings (reader port/baud/model, centre connection, …) as validated JSON values.
import { type z } from 'zod';
import { statement, type Db } from '../db/open';

export class SettingsStore {
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  get<T>(terminalId: string, key: string, schema: z.ZodType<T>): T | undefined {
    const row = statement(this.db, 'SELECT value_json FROM terminal_setting WHERE terminal_id = ? AND key = ?').get(terminalId, key) as { value_json: string } | undefined;
    if (!row) return undefined;
    const parsed = schema.safeParse(JSON.parse(row.value_json));
    if (!parsed.success) throw new Error(`stored setting ${key} for terminal ${terminalId} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || key}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  /** Validates before writing, so a bad value never replaces a good one. */
  set<T>(terminalId: string, key: string, schema: z.ZodType<T>, value: unknown): T {
    const parsed = schema.parse(value);
    statement(this.db, `INSERT INTO terminal_setting (terminal_id, key, value_json, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (terminal_id, key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`)
      .run(terminalId, key, JSON.stringify(parsed), this.now().toISOString());
    return parsed;
  }
}
