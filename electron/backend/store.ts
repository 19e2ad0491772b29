// Opens the terminal's store database and the services built directly on it.
import { join } from 'node:path';
import { openDatabase, type Db } from '../../native/db/open';
import { AccessStore } from '../../native/store/access-store';
import { IdempotencyStore } from '../../native/store/idempotency';
import { Journal } from '../../native/store/journal';
import { storeMigrations } from '../../native/store/migrations';
import { SettingsStore } from '../../native/store/settings';

export interface Store {
  readonly db: Db;
  readonly access: AccessStore;
  readonly idempotency: IdempotencyStore;
  readonly journal: Journal;
  readonly settings: SettingsStore;
  close(): void;
}

/** Training operators created on first start so a new install can be signed into; a manager replaces them. */
export const TRAINING_OPERATORS = [
  { operatorId: '1001', name: '收银员', role: 'cashier', pin: '1111' },
  { operatorId: '2001', name: '店长', role: 'manager', pin: '2222' },
  { operatorId: '3001', name: '技术员', role: 'technician', pin: '3333' },
  { operatorId: '4001', name: '总部', role: 'headoffice', pin: '4444' },
] as const;

export function openStore(dataDir: string): Store {
  const db = openDatabase(join(dataDir, 'store.db'), storeMigrations);
  const access = new AccessStore(db);
  if (!access.hasOperators()) db.transaction(() => { for (const op of TRAINING_OPERATORS) access.createOperator(op); })();
  const idempotency = new IdempotencyStore(db);
  idempotency.releaseAbandoned();
  return { db, access, idempotency, journal: new Journal(db), settings: new SettingsStore(db), close: () => db.close() };
}
