// A list of sales as the backend reports them: state (暂估 marked), the split, and after sync the
// centre's difference. Shared by the cashier's today list and the manager's settlements.
import { Button, Space, Table, Typography } from 'antd';
import { type SaleView } from '../../../core/contracts/checkout';
import { zh } from '../strings';
import { Amount } from './Amount';
import { SaleStateTag } from './SaleTags';

interface Props {
  sales: SaleView[];
  loading: boolean;
  showOperator?: boolean;
  onReceipt?(sale: SaleView): void;
  onRefund?(sale: SaleView): void;
}

const REFUNDABLE: ReadonlySet<string> = new Set(['settled', 'provisional', 'selfpay']);

export function SalesTable({ sales, loading, showOperator = false, onReceipt, onRefund }: Props): React.JSX.Element {
  return (
    <Table<SaleView>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={sales}
      data-testid="sales-table"
      locale={{ emptyText: zh.today.empty }}
      pagination={{ pageSize: 12, hideOnSinglePage: true }}
      onRow={(sale) => ({ 'data-testid': `sale-row-${sale.id}` } as React.HTMLAttributes<HTMLElement>)}
      expandable={{
        rowExpandable: (sale) => sale.split !== null,
        expandedRowRender: (sale) => (
          <ul className="explain-list">
            {[...(sale.split?.explain ?? []), ...(sale.split?.reasons ?? [])].map((line, i) => <li key={i}>{line}</li>)}
          </ul>
        ),
      }}
      columns={[
        { title: zh.today.time, key: 'time', width: 80, render: (_, s) => new Date(s.createdAt).toLocaleTimeString('zh-CN', { hour12: false }) },
        { title: zh.today.sale, dataIndex: 'id', width: 175, render: (id: string) => <span className="mono">{id}</span> },
        ...(showOperator ? [{ title: zh.today.operator, dataIndex: 'operator', width: 80 }] : []),
        { title: zh.today.person, key: 'person', width: 90, render: (_, s) => s.person?.name ?? zh.none },
        { title: zh.today.state, key: 'state', width: 110, render: (_, s) => <SaleStateTag sale={s} /> },
        { title: zh.checkout.total, key: 'total', align: 'right', render: (_, s) => <Amount value={s.split?.total} /> },
        { title: zh.checkout.fund, key: 'fund', align: 'right', render: (_, s) => <Amount value={s.split?.fund} /> },
        { title: zh.checkout.account, key: 'account', align: 'right', render: (_, s) => <Amount value={s.split?.account} /> },
        { title: zh.checkout.cash, key: 'cash', align: 'right', render: (_, s) => <Amount value={s.split?.cash} /> },
        {
          title: zh.today.difference, key: 'difference', width: 230,
          render: (_, s) => {
            const d = s.centre?.difference;
            if (!d) return <Typography.Text type="secondary">{s.provisional ? zh.today.awaitingCentre : zh.none}</Typography.Text>;
            return <span data-testid="difference">{zh.today.differenceText(d.fund, d.account, d.cash)}</span>;
          },
        },
        ...(onReceipt || onRefund ? [{
          title: zh.actions, key: 'actions', width: 120,
          render: (_: unknown, s: SaleView) => (
            <Space size={4}>
              {onReceipt && (REFUNDABLE.has(s.state) || s.state === 'refunded') && <Button size="small" onClick={() => onReceipt(s)}>{zh.today.receipt}</Button>}
              {onRefund && REFUNDABLE.has(s.state) && <Button size="small" danger onClick={() => onRefund(s)} data-testid="refund">{zh.today.refund}</Button>}
            </Space>
          ),
        }] : []),
      ]}
    />
  );
}
