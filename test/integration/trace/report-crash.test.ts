// 3505 exactly once through kill -9: sales queued while the network is down, then the backend process
// SIGKILLed again and again while the settlements sync and their rows are reported, with the
// platform dropping replies after committing and refusing some rows. At the end every box of every
// confirmed insured sale is at the platform exactly once, and nothing the store does not know.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { withStore } from '../../crash/checks';
import { Durations, Rig } from '../../crash/rig';

const SALES = 24;
const KILLS = 5;
const dir = mkdtempSync(join(tmpdir(), 'ybjs-report-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Line { insured: boolean; traceCodes: string[] }

test(`${SALES} offline sales, the backend killed ${KILLS} times while they sync and report: every box reported once`, async () => {
  let seed = 5150;
  const rnd = (k: number): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return k <= 1 ? 0 : seed % k; };
  const rig = await Rig.create(dir, rnd, new Durations(), 77);
  try {
    rig.sandbox.setFaults({ seed: 9, latencyMs: [2, 15], dropAfterCommitRate: 0.1, error5xxAfterCommitRate: 0.05, infnos: ['3505', '3506', '3505A', '3506A'] });
    await rig.queueOffline(SALES, 'queue');
    // Three boxes the platform refuses once each: their rows must come back alone and get through.
    const someCodes = withStore(rig.storePath, (db) => (db.prepare('SELECT code FROM trace_code ORDER BY rowid LIMIT 3').all() as Array<{ code: string }>).map((r) => r.code));
    rig.sandbox.reports.refuseCodesOnce(someCodes);
    let cutMidDrain = 0;
    for (let k = 0; k < KILLS; k++) {
      const before = withStore(rig.storePath, (db) => (db.prepare("SELECT count(*) AS n FROM sales_report_row WHERE state = 'accepted'").get() as { n: number }).n);
      // The network comes back (after a restart it is on anyway); the kill lands while sync and reports drain.
      await rig.killDuring(() => rig.pos.ok('POST', '/api/training/centre', { online: true }), 150 + rnd(600));
      await rig.restart();
      await rig.afterRestart(`kill ${k + 1}`);
      const after = withStore(rig.storePath, (db) => (db.prepare("SELECT count(*) AS n FROM sales_report_row WHERE state = 'accepted'").get() as { n: number }).n);
      if (after > before) cutMidDrain++;
    }
    await rig.settleUp('end');
    // Let the reports drain to the end (refused rows come back after a short wait).
    const deadline = Date.now() + 90_000;
    const open = () => withStore(rig.storePath, (db) => (db.prepare("SELECT count(*) AS n FROM sales_report_row WHERE state IN ('queued', 'sending', 'rejected')").get() as { n: number }).n);
    while (open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const left = withStore(rig.storePath, (db) => db.prepare("SELECT r.state, r.refusals, r.note, r.next_attempt_at - ? AS wait_ms, o.state AS settlement FROM sales_report_row r JOIN settlement_outbox o ON o.settlement_id = r.settlement_id WHERE r.state IN ('queued', 'sending', 'rejected')").all(Date.now()));
    if (left.length) console.log(rig.output().split('\n').filter((l) => /report|sync/.test(l)).slice(-30).join('\n'));
    expect(left).toEqual([]);
    expect(rig.failures).toEqual([]);

    const store = withStore(rig.storePath, (db) => ({
      rows: db.prepare("SELECT bchno, row_json, state FROM sales_report_row WHERE kind = 'sale'").all() as Array<{ bchno: string; row_json: string; state: string }>,
      confirmedSales: db.prepare("SELECT sa.id, sa.lines_json FROM sale sa JOIN settlement s ON s.id = CAST(sa.settlement_id AS INTEGER) JOIN settlement_outbox o ON o.settlement_id = s.id WHERE o.state = 'confirmed'").all() as Array<{ id: string; lines_json: string }>,
    }));
    const boxes = store.confirmedSales.flatMap((s) => (JSON.parse(s.lines_json) as Line[]).filter((l) => l.insured).flatMap((l) => l.traceCodes));
    expect(store.confirmedSales.length).toBeGreaterThan(SALES / 2);
    expect(boxes.length).toBeGreaterThan(SALES);
    const fixmedins = 'P42030200001';
    const atPlatform = rig.sandbox.reports.codeCounts(fixmedins);
    // To the box: the same codes, each exactly once.
    expect([...atPlatform.keys()].sort()).toEqual([...boxes].sort());
    expect([...atPlatform.values()].every((n) => n === 1)).toBe(true);
    // Row for row: every accepted store row is at the platform and the platform has nothing else.
    const platformRows = rig.sandbox.db.prepare("SELECT bchno FROM sales_report_row WHERE fixmedins_code = ? AND kind = 'sale'").all(fixmedins) as Array<{ bchno: string }>;
    expect(platformRows.map((r) => r.bchno).sort()).toEqual(store.rows.filter((r) => r.state === 'accepted').map((r) => r.bchno).sort());
    // The faults really happened: replies were lost after commit (answered again, stored once) and rows were refused.
    const summary = rig.sandbox.reports.summary(fixmedins);
    const recovered = withStore(rig.storePath, (db) => (db.prepare("SELECT count(*) AS n FROM sales_report_log WHERE event = 'crash_recovered'").get() as { n: number }).n);
    console.log(`report crash: ${cutMidDrain} kills landed mid-drain, ${recovered} rows recovered from sending, ${summary.repeatsAnswered} repeats answered, ${summary.refusals} refusals`);
    expect(summary.repeatsAnswered).toBeGreaterThan(0);
    expect(summary.refusals).toBeGreaterThan(0);
    expect(cutMidDrain + summary.repeatsAnswered).toBeGreaterThan(0);
    expect(recovered + summary.repeatsAnswered).toBeGreaterThan(0);
  } finally {
    await rig.close();
  }
}, 170_000);
