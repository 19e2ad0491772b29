// With a store ledger configured (status.ledger), the manager's 打印日报 / 导出 / 统计图表 / 差异处理
// are the store's over all tills (/api/store-ledger/*), labelled 全店（N 台收银台）; without one they
// are the till's own, unchanged.
import { Tag } from 'antd';
import { api } from '../../api';
import { useLoad } from '../../hooks/useLoad';
import { useLive } from '../../live';
import { zh } from '../../strings';

/** Whether this till reports for the whole store, and the store's tills (for the label). */
export function useStoreScope(): { store: boolean; tills: number | null } {
  const { status } = useLive();
  const store = Boolean(status?.ledger);
  const date = status?.businessDate ?? '';
  const range = useLoad(() => (store && date ? api.storeRange(date, date) : Promise.resolve(undefined)), [store, date]);
  return { store, tills: range.data ? range.data.tills.length : null };
}

export function StoreScopeTag({ tills }: { tills: number | null }): React.JSX.Element | null {
  return tills === null ? null : <Tag color="blue" data-testid="store-scope">{zh.storeDay.scope(tills)}</Tag>;
}
