// The store check's sweep of unknown outcomes (issue 17): a settlement of T2 whose outcome is still
// unknown (as T2 pushed it to the ledger) is a store discrepancy of the day naming T2 and its sale,
// kept apart from T1's settlement with the same local id; one the centre's 3202 already explains
// (中心多 under its msgid) is listed once.
import { expect, it } from 'vitest';
import { type CentrePort } from '../../../core/centre/port';
import { type SettlementSource } from '../../../core/reconcile/facts';
import { StoreReconciliation, storeProvisionalDifferences, storeUnknownOutcomes } from '../../../electron/backend/ledger/store-recon';
import { type StoreDays, type TillSettlement } from '../../../native/ledger/pg-store-days';

const DAY = '2026-06-16';

function settlement(tillId: string, id: number, outboxState: string, centre = false): TillSettlement {
  const source: SettlementSource = {
    settlementId: id, saleId: `${tillId}-S${id}`, msgid: `MSG-${tillId}-${id}`, psnNo: 'P1', insuplcAdmdvs: '360100', insutype: '310',
    recordedAt: `${DAY}T02:00:00.000Z`, saleDay: DAY, outboxState, provisional: { total: '30.00', fund: '20.00', account: '5.00', cash: '5.00' }, patient: null,
    centre: centre ? { setlId: `C${id}`, mdtrtId: `M${id}`, setlTime: `${DAY} 10:00:00`, confirmedAt: `${DAY}T02:00:01.000Z`, medfee: '30.00', fund: '20.00', account: '5.00', cash: '5.00', insutype: '310', clrType: '41', clrOptins: '360100' } : null,
    refundedAt: null,
  };
  return { tillId, source };
}

it('names the till in the subject, so the same local settlement id at two tills gives two discrepancies', () => {
  const found = storeUnknownOutcomes([settlement('T1', 5, 'unknown'), settlement('T2', 5, 'reversing'), settlement('T2', 6, 'confirmed', true), settlement('T2', 7, 'queued')], DAY);
  expect(found.map((f) => [f.row.id, f.row.tillId, f.row.saleId, f.row.kind])).toEqual([
    ['20260616.outcome_unknown.settlement-T1-5', 'T1', 'T1-S5', 'outcome_unknown'],
    ['20260616.outcome_unknown.settlement-T2-5', 'T2', 'T2-S5', 'outcome_unknown'],
  ]);
  expect(storeUnknownOutcomes([settlement('T2', 5, 'unknown')], '2026-06-17')).toEqual([]);
});

it("the store check records T2's unknown outcome as the store's, naming T2 and the sale", async () => {
  const recorded: Array<{ found: ReadonlyArray<{ id: string; tillId: string | null; saleId: string | null; kind: string }> }> = [];
  const days = {
    fixmedinsCode: 'H36010000001',
    settlementsAround: async () => [settlement('T1', 1, 'confirmed', true), settlement('T2', 1, 'unknown')],
    adjustmentsAround: async () => [],
    recentGroups: async () => [{ insutype: '310', clrType: '41', setlOptins: '360100' }],
    recordCheck: async (_check: unknown, found: ReadonlyArray<{ id: string; tillId: string | null; saleId: string | null; kind: string }>) => { recorded.push({ found }); return 1; },
    closed: async () => null, lastCheck: async () => null, discrepancies: async () => [], tills: async () => [], resolutions: async () => [],
  } as unknown as StoreDays;
  // The centre has only T1's settlement, and says the group balances (T2's never reached it).
  const centre = { reconcileTotals: async () => ({ kind: 'ok', output: { stmtinfo: { stmt_rslt: '0', stmt_rslt_dscr: '' } } }) } as unknown as CentrePort;
  const recon = new StoreReconciliation({ days, centre, tillId: 'T1', areaCode: '360100', now: () => new Date(`${DAY}T08:00:00.000Z`) });
  await recon.check(DAY, { id: '2001', role: 'manager' } as never);
  expect(recorded[0]!.found.map((d) => [d.id, d.tillId, d.saleId, d.kind])).toEqual([['20260616.outcome_unknown.settlement-T2-1', 'T2', 'T2-S1', 'outcome_unknown']]);
});

it('sweeps 暂估差额 across tills: an offline settlement the centre confirmed at other amounts, not refunded, not an online one', () => {
  const offline = (t: TillSettlement, fund: string, refunded = false): TillSettlement => ({ ...t, source: {
    ...t.source, offline: true, refundedAt: refunded ? `${DAY}T05:00:00.000Z` : null, centre: { ...t.source.centre!, fund, cash: '25.00' },
  } });
  const online = settlement('T1', 3, 'confirmed', true);
  const pre = { ...settlement('T1', 4, 'confirmed', true), source: { ...settlement('T1', 4, 'confirmed', true).source, centre: { ...settlement('T1', 4, 'confirmed', true).source.centre!, fund: '0.00' } } };
  const found = storeProvisionalDifferences([
    online, pre, // online (or pushed before the flag was carried): never swept here
    offline(settlement('T2', 3, 'confirmed', true), '0.00'),
    offline(settlement('T2', 4, 'confirmed', true), '0.00', true), // refunded since
    offline(settlement('T2', 5, 'confirmed', true), '20.00'), // centre agreed on the fund; cash differs → still a difference
    { ...settlement('T2', 6, 'queued'), source: { ...settlement('T2', 6, 'queued').source, offline: true } }, // not confirmed yet
  ], DAY);
  expect(found.map((f) => [f.row.id, f.row.tillId, f.row.saleId, f.row.kind])).toEqual([
    ['20260616.provisional_difference.settlement-T2-3', 'T2', 'T2-S3', 'provisional_difference'],
    ['20260616.provisional_difference.settlement-T2-5', 'T2', 'T2-S5', 'provisional_difference'],
  ]);
  expect(found[0]!.facts.cause).toContain('统筹 -20.00');
  expect(storeProvisionalDifferences([offline(settlement('T2', 3, 'confirmed', true), '0.00')], '2026-06-17')).toEqual([]);
});
