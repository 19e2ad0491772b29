// The crash suite's invariants, read straight from the two SQLite files (the store's store.db and
// the sandbox centre's sandbox.db) so they judge what is on disk, not what an API chooses to show.
// Each check returns the list of violations (empty = fine), worded for a person to act on.
import { fmt, money, sum } from '../../core/money/money';
import { openDatabase, type Db } from '../../native/db/open';
import { storeMigrations } from '../../native/store/migrations';

/** What the POS was told about a sale: the state in the successful reply it received. */
export type Acknowledged = Map<string, 'settled' | 'provisional' | 'selfpay'>;

interface StoreSettlement {
  id: number; sale_ref: string; msgid: string; state: string; centre_setl_id: string | null;
  centre_total: string | null; centre_fund: string | null; centre_account: string | null; centre_cash: string | null;
}
interface CentreSettlement { msgid: string; setl_id: string; status: string; medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string; psn_cash_pay: string }

const LIVE = new Set(['pending', 'sending', 'unknown', 'querying', 'reversing', 'confirmed']);

export function withStore<T>(storePath: string, read: (db: Db) => T): T {
  const db = openDatabase(storePath, storeMigrations, { readonly: true });
  try { return read(db); } finally { db.close(); }
}

function storeSettlements(db: Db): StoreSettlement[] {
  return db.prepare(`SELECT s.id, s.sale_ref, s.msgid, o.state, s.centre_setl_id, s.centre_total, s.centre_fund, s.centre_account, s.centre_cash
    FROM settlement s JOIN settlement_outbox o ON o.settlement_id = s.id ORDER BY s.id`).all() as StoreSettlement[];
}

function centreSettlements(centre: Db): CentreSettlement[] {
  return centre.prepare('SELECT msgid, setl_id, status, medfee_sumamt, fund_pay_sumamt, acct_pay, psn_cash_pay FROM settlement ORDER BY setl_id').all() as CentreSettlement[];
}

const saleOf = (saleRef: string): string => saleRef.split('/')[0]!;

/**
 * A provisional sale whose settlement's outcome became unknown (a kill mid-call, a lost reply) is
 * reversed by its msgid: national's 5203 cannot look it up. That is an accepted end (the centre
 * holds nothing for it; the manager sees 中心无此结算), never a loss of what the POS was told.
 */
function reversedAfterUnknown(db: Db, s: StoreSettlement): boolean {
  return s.state === 'reversed' && db.prepare("SELECT 1 FROM settlement_outbox_log WHERE settlement_id = ? AND event = 'escalate'").get(s.id) !== undefined;
}

/** Nothing the POS was told succeeded is lost or rolled back; a sale has one live settlement at most. */
export function checkAcknowledged(db: Db, acknowledged: Acknowledged): string[] {
  const problems: string[] = [];
  const sale = db.prepare('SELECT state, settlement_id FROM sale WHERE id = ?');
  const settlements = storeSettlements(db);
  const bySale = new Map<string, StoreSettlement[]>();
  for (const s of settlements) bySale.set(saleOf(s.sale_ref), [...(bySale.get(saleOf(s.sale_ref)) ?? []), s]);
  for (const [id, told] of acknowledged) {
    const row = sale.get(id) as { state: string; settlement_id: string | null } | undefined;
    if (!row) { problems.push(`sale ${id}: the POS was told "${told}", but the sale is gone`); continue; }
    const allowed = told === 'provisional' ? ['provisional', 'settled'] : [told];
    if (!allowed.includes(row.state)) problems.push(`sale ${id}: the POS was told "${told}", the store now says "${row.state}"`);
    if (told !== 'selfpay') {
      const own = settlements.find((s) => String(s.id) === row.settlement_id);
      if (!own) problems.push(`sale ${id}: told "${told}" but it has no settlement record`);
      else if (!LIVE.has(own.state) && !(told === 'provisional' && reversedAfterUnknown(db, own))) problems.push(`sale ${id}: told "${told}" but its settlement ${own.msgid} is ${own.state}`);
    }
  }
  for (const [id, list] of bySale) {
    const live = list.filter((s) => LIVE.has(s.state));
    if (live.length > 1) problems.push(`sale ${id}: ${live.length} live settlements (${live.map((s) => `${s.msgid}:${s.state}`).join(', ')})`);
  }
  return problems;
}

/** The centre holds nothing the store does not know, and never two bookings of one sale. */
export function checkNothingBookedTwice(db: Db, centre: Db): string[] {
  const problems: string[] = [];
  const byMsgid = new Map(storeSettlements(db).map((s) => [s.msgid, s]));
  const bookedPerSale = new Map<string, string[]>();
  for (const c of centreSettlements(centre)) {
    const local = byMsgid.get(c.msgid);
    if (!local) { problems.push(`centre booked ${c.msgid} (${c.setl_id}, ${c.status}) which the store never recorded`); continue; }
    if (local.centre_setl_id !== null && local.centre_setl_id !== c.setl_id) problems.push(`settlement ${c.msgid}: store has setl_id ${local.centre_setl_id}, centre ${c.setl_id}`);
    if (c.status === 'settled') bookedPerSale.set(saleOf(local.sale_ref), [...(bookedPerSale.get(saleOf(local.sale_ref)) ?? []), c.msgid]);
  }
  for (const [sale, msgids] of bookedPerSale) if (msgids.length > 1) problems.push(`sale ${sale} is booked ${msgids.length} times at the centre: ${msgids.join(', ')}`);
  return problems;
}

/** Open outbox entries (pending, sending, unknown, querying, reversing). */
export function openEntries(db: Db): number {
  return db.prepare("SELECT count(*) FROM settlement_outbox WHERE state NOT IN ('confirmed', 'parked', 'reversed')").pluck().get() as number;
}

/**
 * Once the queue is empty: the store's confirmed settlements are exactly the centre's booked ones,
 * with the same ids and amounts, and every acknowledged insured sale is among them — or, told
 * provisional, was reversed by its msgid after its outcome became unknown (and the centre holds
 * no booking for it: checked by "centre booked … but the store has not confirmed it").
 */
export function checkSettledUp(db: Db, centre: Db, acknowledged: Acknowledged): string[] {
  const problems: string[] = [];
  const local = storeSettlements(db);
  const stuck = local.filter((s) => s.state !== 'confirmed' && !reversedAfterUnknown(db, s));
  for (const s of stuck) problems.push(`settlement ${s.msgid} (${s.sale_ref}) ended ${s.state}, not confirmed`);
  const confirmed = local.filter((s) => s.state === 'confirmed');
  const booked = centreSettlements(centre).filter((c) => c.status === 'settled');
  const centreByMsgid = new Map(booked.map((c) => [c.msgid, c]));
  const confirmedMsgids = new Set(confirmed.map((s) => s.msgid));
  for (const s of confirmed) {
    const c = centreByMsgid.get(s.msgid);
    if (!c) { problems.push(`store confirmed ${s.msgid} (${s.sale_ref}) but the centre holds no booked settlement for it`); continue; }
    const mine = [s.centre_setl_id, s.centre_total, s.centre_fund, s.centre_account, s.centre_cash];
    const theirs = [c.setl_id, c.medfee_sumamt, c.fund_pay_sumamt, c.acct_pay, c.psn_cash_pay];
    if (mine.join('|') !== theirs.join('|')) problems.push(`settlement ${s.msgid}: store ${mine.join('/')} ≠ centre ${theirs.join('/')}`);
  }
  for (const c of booked) if (!confirmedMsgids.has(c.msgid)) problems.push(`centre booked ${c.msgid} (${c.setl_id}) but the store has not confirmed it`);
  const total = (values: Array<string | null>): string => fmt(sum(values.map((v) => money(v ?? '0.00'))));
  if (total(confirmed.map((s) => s.centre_total)) !== total(booked.map((c) => c.medfee_sumamt))) {
    problems.push(`totals differ: store ${total(confirmed.map((s) => s.centre_total))}, centre ${total(booked.map((c) => c.medfee_sumamt))}`);
  }
  const sale = db.prepare('SELECT settlement_id FROM sale WHERE id = ?');
  const byId = new Map(local.map((s) => [String(s.id), s]));
  for (const [id, told] of acknowledged) {
    if (told === 'selfpay') continue;
    const row = sale.get(id) as { settlement_id: string | null } | undefined;
    const s = row?.settlement_id ? byId.get(row.settlement_id) : undefined;
    if (s?.state !== 'confirmed' && !(told === 'provisional' && s && reversedAfterUnknown(db, s))) problems.push(`sale ${id} (told "${told}") is not confirmed at the centre: ${s ? s.state : 'no settlement'}`);
  }
  return problems;
}

/** Totals of what both sides hold, for the report. */
export function tally(db: Db, centre: Db): { storeConfirmed: number; centreBooked: number; medfee: string } {
  const confirmed = storeSettlements(db).filter((s) => s.state === 'confirmed');
  return {
    storeConfirmed: confirmed.length,
    centreBooked: centreSettlements(centre).filter((c) => c.status === 'settled').length,
    medfee: fmt(sum(confirmed.map((s) => money(s.centre_total ?? '0.00')))),
  };
}

/**
 * A day close is all or nothing: the closed-day record, its locked entries and the journal line that
 * announces them exist together or not at all, and what was locked is what the store had confirmed.
 */
export function checkDayClose(db: Db, date: string): { closed: boolean; problems: string[] } {
  const problems: string[] = [];
  const day = db.prepare('SELECT totals_json FROM recon_day WHERE date = ?').get(date) as { totals_json: string } | undefined;
  const announced = (db.prepare("SELECT payload FROM journal WHERE kind = 'reconciliation.day_closed'").all() as Array<{ payload: string }>)
    .map((r) => JSON.parse(r.payload) as { date: string; entries: number })
    .filter((p) => p.date === date);
  const entries = db.prepare('SELECT kind, status, msgid, count, medfee FROM recon_entry WHERE date = ?').all(date) as Array<{ kind: string; status: string; msgid: string | null; count: number; medfee: string }>;
  if (announced.length > 1) problems.push(`${date}: the journal announces ${announced.length} closes`);
  if (!day) {
    if (announced.length) problems.push(`${date}: the journal says the day closed, but there is no closed-day record`);
    if (entries.length) problems.push(`${date}: ${entries.length} locked entries without a closed-day record`);
    return { closed: false, problems };
  }
  if (announced.length !== 1) problems.push(`${date}: closed, but the journal has no line for it`);
  else if (announced[0]!.entries !== entries.length) problems.push(`${date}: the journal says ${announced[0]!.entries} entries were locked, the store holds ${entries.length}`);
  const totals = JSON.parse(day.totals_json) as { all: { count: number; medfee: string } };
  const medfee = fmt(sum(entries.map((e) => money(e.medfee))));
  const count = entries.reduce((n, e) => n + e.count, 0);
  if (totals.all.medfee !== medfee || totals.all.count !== count) problems.push(`${date}: closed totals ${totals.all.count}/${totals.all.medfee} ≠ its locked entries ${count}/${medfee}`);
  const settlement = db.prepare("SELECT s.centre_total, o.state FROM settlement s JOIN settlement_outbox o ON o.settlement_id = s.id WHERE s.msgid = ?");
  for (const e of entries.filter((x) => x.kind === 'sale' && x.status === 'confirmed' && x.msgid)) {
    const s = settlement.get(e.msgid) as { centre_total: string | null; state: string } | undefined;
    if (s?.state !== 'confirmed' || s.centre_total !== e.medfee) problems.push(`${date}: locked confirmed entry ${e.msgid} (${e.medfee}) does not match the store's settlement (${s ? `${s.state} ${s.centre_total}` : 'none'})`);
  }
  return { closed: true, problems };
}
