// The manager's settlements: by date and state, with the split and the centre's difference.
import { useState } from 'react';
import { Button, Card, Input, Select, Space } from 'antd';
import { SALE_PAGE_DEFAULT, SALE_PAGE_MAX, type SaleState } from '../../../../core/contracts/checkout';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SalesTable } from '../../components/SalesTable';
import { useLoad } from '../../hooks/useLoad';
import { useLive, useLiveEvent } from '../../live';
import { zh } from '../../strings';

const STATES: SaleState[] = ['settled', 'provisional', 'selfpay', 'refunded', 'presettled', 'open', 'cancelled'];

export function SalesList(): React.JSX.Element {
  const { status } = useLive();
  const [date, setDate] = useState<string>('');
  const [state, setState] = useState<SaleState | ''>('');
  const day = date || status?.businessDate || '';
  // Paged: one page at first, more on request (a filter change starts again at one page).
  const [limit, setLimit] = useState(SALE_PAGE_DEFAULT);
  const [filterKey, setFilterKey] = useState(`${day}|${state}`);
  if (filterKey !== `${day}|${state}`) { setFilterKey(`${day}|${state}`); setLimit(SALE_PAGE_DEFAULT); }
  const sales = useLoad(() => api.sales({ date: day || undefined, state: state || undefined, limit }), [day, state, limit]);
  const more = (sales.data?.length ?? 0) >= limit && limit < SALE_PAGE_MAX;
  // Sync progress arrives as 'status' (queue counts) and 'sync' events: the list may have changed.
  useLiveEvent(['sync', 'status'], () => void sales.reload());
  return (
    <Card
      title={zh.manager.salesTitle}
      data-testid="manager-sales"
      extra={(
        <Space>
          <span>{zh.today.filterDate}</span>
          <Input type="date" value={day} onChange={(e) => setDate(e.target.value)} style={{ width: 160 }} data-testid="filter-date" />
          <span>{zh.today.filterState}</span>
          <Select<SaleState | ''>
            style={{ width: 120 }} value={state} onChange={setState} data-testid="filter-state"
            options={[{ value: '', label: zh.today.all }, ...STATES.map((s) => ({ value: s, label: zh.states[s] ?? s }))]}
          />
          <Button onClick={() => void sales.reload()}>{zh.refresh}</Button>
        </Space>
      )}
    >
      <ErrorNotice error={sales.error} />
      <SalesTable sales={sales.data ?? []} loading={sales.loading} showOperator />
      {more && <Button onClick={() => setLimit(Math.min(SALE_PAGE_MAX, limit + SALE_PAGE_DEFAULT))} data-testid="sales-more">{zh.loadMore}</Button>}
    </Card>
  );
}
