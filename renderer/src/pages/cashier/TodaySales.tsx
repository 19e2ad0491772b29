// Today's sales at this till: receipts again, refunds, and the centre's difference once a
// provisional sale has synced. F10 or Esc goes back to the checkout.
import { useState } from 'react';
import { Button, Card, Space } from 'antd';
import { SALE_PAGE_DEFAULT, SALE_PAGE_MAX, type SaleView } from '../../../../core/contracts/checkout';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { KeyButton } from '../../components/KeyButton';
import { ReceiptModal } from '../../components/Receipt';
import { RefundModal } from '../../components/RefundModal';
import { SalesTable } from '../../components/SalesTable';
import { useHotkeys } from '../../hooks/useHotkeys';
import { useLoad } from '../../hooks/useLoad';
import { useLive, useLiveEvent } from '../../live';
import { navigate } from '../../routes';
import { zh } from '../../strings';

export function TodaySales(): React.JSX.Element {
  const { status } = useLive();
  const date = status?.businessDate;
  // Paged: one page at first, more on request.
  const [limit, setLimit] = useState(SALE_PAGE_DEFAULT);
  const sales = useLoad(() => api.sales(date ? { date, limit } : { limit }), [date, limit]);
  const more = (sales.data?.length ?? 0) >= limit && limit < SALE_PAGE_MAX;
  // The till's list is of finished sales; unfinished ones are the checkout's business.
  const finished = (sales.data ?? []).filter((s) => s.state !== 'open' && s.state !== 'presettled');
  const [refunding, setRefunding] = useState<SaleView | null>(null);
  const [receiptFor, setReceiptFor] = useState<string | null>(null);
  // Sync progress arrives as 'status' (queue counts) and 'sync' events: the list may have changed.
  useLiveEvent(['sync', 'status'], () => void sales.reload());
  useHotkeys({ F10: () => navigate('/cashier/checkout'), Escape: () => navigate('/cashier/checkout'), F5: () => void sales.reload() }, refunding === null && receiptFor === null);

  return (
    <Card
      title={`${zh.today.title} ${date ?? ''}`}
      extra={(
        <Space>
          <KeyButton hotkey="F5" onClick={() => void sales.reload()}>{zh.refresh}</KeyButton>
          <KeyButton hotkey="F10" onClick={() => navigate('/cashier/checkout')}>{zh.nav.checkout}</KeyButton>
        </Space>
      )}
      data-testid="today-sales"
    >
      <ErrorNotice error={sales.error} />
      <SalesTable sales={finished} loading={sales.loading} onReceipt={(s) => setReceiptFor(s.id)} onRefund={setRefunding} />
      {more && <Button onClick={() => setLimit(Math.min(SALE_PAGE_MAX, limit + SALE_PAGE_DEFAULT))} data-testid="sales-more">{zh.loadMore}</Button>}
      <RefundModal sale={refunding} onClose={() => setRefunding(null)} onRefunded={() => { setRefunding(null); void sales.reload(); }} />
      <ReceiptModal saleId={receiptFor} onClose={() => setReceiptFor(null)} />
    </Card>
  );
}
