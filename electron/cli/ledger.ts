// `npm run --silent ledger -- <command>`: head office's commands over a chain's store ledger.
//   init --url URL --chain NAME --store CODE:NAME:AREA [--store …]   create the chain's ledger / add stores
//   days --url URL --from YYYY-MM-DD --to YYYY-MM-DD                  every store's days (JSON lines)
//   publish --url URL (--policy FILE | --mapping SKU:CODE[:NOTE]) [--store CODE] [--by NAME]
//                                   a signed policy package or a SKU mapping for every till (or one store's)
//   acks --url URL                  each publication with the tills that applied it, refused it, or have not yet
// Exit 2 on bad arguments (naming the argument), 1 when the ledger refuses or cannot be reached.
import { LedgerSetupError } from '../../core/ledger/port';
import { checkRange, HeadOfficeRangeError, headOfficeDays } from '../../native/ledger/pg-headoffice';
import { initChainLedger, PgLedger } from '../../native/ledger/pg-ledger';
import { readFileSync } from 'node:fs';
import { publicationStatus, publish, PublishError } from '../../native/ledger/pg-publish';
import { parseWithPositionals, UsageError } from './flags';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseWithPositionals(argv, {
    url: { type: 'string' }, chain: { type: 'string' }, store: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' },
    policy: { type: 'string' }, mapping: { type: 'string' }, by: { type: 'string' },
  } as const);
  const command = positionals[0];
  const url = values.url as string | undefined;
  if (!url) throw new UsageError('--url: the ledger connection string (postgres://user@host:port/database)');
  if (command === 'init') {
    if (!values.chain) throw new UsageError('--chain: the chain\'s name');
    const stores = ((values.store ?? []) as unknown as string[]).map((text) => {
      const [code, name, areaCode] = text.split(':');
      if (!code || !/^[A-Za-z0-9]{12}$/.test(code) || !name || !areaCode || !/^\d{6}$/.test(areaCode)) throw new UsageError(`--store ${JSON.stringify(text)}: CODE:NAME:AREA, e.g. H36010200001:八一店:360102`);
      return { code, name, areaCode };
    });
    await initChainLedger(url, { name: String(values.chain), stores });
    console.log(`ledger ready: chain ${String(values.chain)}, ${stores.length} store(s) added`);
  } else if (command === 'days') {
    const from = values.from as string | undefined;
    const to = values.to as string | undefined;
    if (!from || !DAY.test(from)) throw new UsageError('--from: YYYY-MM-DD');
    if (!to || !DAY.test(to)) throw new UsageError('--to: YYYY-MM-DD');
    try { checkRange(from, to); } catch (error) { if (error instanceof HeadOfficeRangeError) throw new UsageError(`--${error.message}`); throw error; }
    const ledger = new PgLedger({ url });
    try {
      for (const row of await headOfficeDays(ledger, from, to)) console.log(JSON.stringify(row));
    } finally { await ledger.close(); }
  } else if (command === 'publish') {
    const policy = values.policy as string | undefined;
    const mapping = values.mapping as string | undefined;
    if ((policy === undefined) === (mapping === undefined)) throw new UsageError('--policy FILE or --mapping SKU:CODE[:NOTE]: exactly one of them');
    const stores = (values.store ?? []) as unknown as string[];
    if (stores.length > 1) throw new UsageError('--store: at most one store code (none: every store of the chain)');
    const scope = stores[0] ?? null;
    let request: unknown;
    if (policy !== undefined) {
      let text: string;
      try { text = readFileSync(policy, 'utf8'); } catch { throw new UsageError(`--policy ${policy}: cannot read the file`); }
      let payload: unknown;
      try { payload = JSON.parse(text); } catch { throw new UsageError(`--policy ${policy}: not JSON (a signed policy package file)`); }
      request = { kind: 'policy_package', payload, scope };
    } else {
      const [sku, catalogueCode, ...note] = mapping!.split(':');
      request = { kind: 'sku_mapping', payload: { sku, catalogueCode, note: note.join(':') || '总部' }, scope };
    }
    const ledger = new PgLedger({ url });
    try {
      const id = await publish(ledger, request, String(values.by ?? '总部'));
      console.log(`published #${id}: every till picks it up at its next sync (see: acks)`);
    } catch (error) {
      if (error instanceof PublishError) throw new UsageError(`${policy !== undefined ? '--policy' : '--mapping'}: ${error.message}`);
      throw error;
    } finally { await ledger.close(); }
  } else if (command === 'acks') {
    const ledger = new PgLedger({ url });
    try {
      for (const row of await publicationStatus(ledger)) console.log(JSON.stringify(row));
    } finally { await ledger.close(); }
  } else {
    throw new UsageError(`unknown command ${JSON.stringify(command ?? '')}: init, days, publish or acks`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) { console.error(`ledger: ${error.message}`); process.exit(2); }
  console.error(`ledger: ${error instanceof LedgerSetupError ? error.message : error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
