// Made-up settlement snapshots as tills push them, for chain-sized ledgers (head-office test, bench).
import { type OutgoingFact } from '../../../core/ledger/port';
import { type SettlementSource } from '../../../core/reconcile/facts';

export function settlementFact(seq: number, o: { code: string; settlementId: number; day: string; confirmed: boolean; medfee: string; fund: string; account: string }): OutgoingFact {
  const cash = (Number(o.medfee) * 100 - Number(o.fund) * 100 - Number(o.account) * 100) / 100;
  const msgid = `${o.code}${o.day.replaceAll('-', '')}100000${String(1000 + (o.settlementId % 9000)).padStart(4, '0')}`.slice(0, 26) + String(o.settlementId).padStart(4, '0').slice(-4);
  const source: SettlementSource = {
    settlementId: o.settlementId, saleId: `S-${o.code}-${o.settlementId}`, msgid, psnNo: `P${o.settlementId}`, insuplcAdmdvs: '360102', insutype: '310',
    recordedAt: `${o.day}T02:00:00.000Z`, saleDay: o.day, outboxState: o.confirmed ? 'confirmed' : 'pending',
    provisional: { total: o.medfee, fund: o.fund, account: o.account, cash: cash.toFixed(2) }, patient: { name: '张*', idNumber: '360102********0073' },
    centre: o.confirmed ? {
      setlId: `C${o.code}${o.settlementId}`, mdtrtId: `M${o.settlementId}`, setlTime: `${o.day} 10:00:00`, confirmedAt: `${o.day}T02:00:01.000Z`,
      medfee: o.medfee, fund: o.fund, account: o.account, cash: cash.toFixed(2), insutype: '310', clrType: '41', clrOptins: '360102',
    } : null,
    refundedAt: null,
  };
  return { seq, kind: 'settlement', at: `${o.day}T02:00:01.000Z`, body: source };
}
