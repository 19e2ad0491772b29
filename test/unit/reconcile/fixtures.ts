// Builders for ledger facts in the unit tests.
import { money } from '../../../core/money/money';
import { type LedgerFact } from '../../../core/reconcile/ledger';

export const GROUP = { insutype: '310', clrType: '41', setlOptins: '360100' };

export function fact(key: string, overrides: Partial<LedgerFact> & { medfee?: string; fund?: string; account?: string; cash?: string; count?: number } = {}): LedgerFact {
  const { medfee = '10.00', fund = '4.00', account = '3.00', cash = '3.00', count = 1, ...rest } = overrides;
  return {
    key, kind: 'sale', status: 'confirmed', day: '2026-06-01', centreDay: '2026-06-01', at: '2026-06-01T02:00:00.000Z', group: GROUP,
    totals: { count, medfee: money(medfee), fund: money(fund), account: money(account), cash: money(cash) },
    saleId: `S-${key}`, msgid: null, setlId: `SETL-${key}`, mdtrtId: `M-${key}`, psnNo: 'PSN1', patient: null, detail: 'settlement', note: '',
    ...rest,
  };
}
