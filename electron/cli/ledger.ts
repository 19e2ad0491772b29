// `npm run --silent ledger -- <command>`: head office's commands over a chain's store ledger.
//   init --url URL --chain NAME --store CODE:NAME:AREA [--store …]   create the chain's ledger / add stores
//   days --url URL --from YYYY-MM-DD --to YYYY-MM-DD                  every store's days (JSON lines)
// Exit 2 on bad arguments (naming the argument), 1 when the ledger refuses or cannot be reached.
import { LedgerSetupError } from '../../core/ledger/port';
import { headOfficeDays } from '../../native/ledger/pg-headoffice';
import { initChainLedger, PgLedger } from '../../native/ledger/pg-ledger';
import { parseWithPositionals, UsageError } from './flags';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseWithPositionals(argv, {
    url: { type: 'string' }, chain: { type: 'string' }, store: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' },
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
    const ledger = new PgLedger({ url });
    try {
      for (const row of await headOfficeDays(ledger, from, to)) console.log(JSON.stringify(row));
    } finally { await ledger.close(); }
  } else {
    throw new UsageError(`unknown command ${JSON.stringify(command ?? '')}: init or days`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) { console.error(`ledger: ${error.message}`); process.exit(2); }
  console.error(`ledger: ${error instanceof LedgerSetupError ? error.message : error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
