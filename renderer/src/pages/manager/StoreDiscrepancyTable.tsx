// The store day's discrepancies, each naming its till and sale, with the same resolutions as the
// per-till table. A resolution is filed in the ledger for the till that owns the discrepancy and is
// carried out by that till at its next sync: until then the row shows 等待收银台 T2 (the backend's
// words, with failed attempts), after it the till's result (or why it did not carry it out).
import { useState } from 'react';
import { Button, Space, Table, Tag, Typography } from 'antd';
import { type StoreDayView } from '../../../../core/contracts/ledger';
import { type ResolutionAction } from '../../../../core/contracts/reconciliation';
import { api } from '../../api';
import { zh } from '../../strings';
import { discrepancyFactColumns, ResolveModal } from './DiscrepancyTable';

type StoreDiscrepancy = StoreDayView['discrepancies'][number];

const actionLabel = (action: string): string => (zh.recon.resolution as Record<string, string | undefined>)[action] ?? action;
const REQUEST_COLOURS = { pending: 'gold', running: 'blue', done: 'green', refused: 'red', withdrawn: 'default' } as const;

interface Props {
  discrepancies: StoreDiscrepancy[];
  /** A closed day takes no new request. */
  readOnly: boolean;
  /** The 差异处理 list of any day shows each one's day. */
  showDate?: boolean;
  onResolved(day: StoreDayView): void;
}

export function StoreDiscrepancyTable({ discrepancies, readOnly, showDate = false, onResolved }: Props): React.JSX.Element {
  const [resolving, setResolving] = useState<{ d: StoreDiscrepancy; action: ResolutionAction } | null>(null);
  return (
    <>
      <Table<StoreDiscrepancy>
        size="small" rowKey="id" dataSource={discrepancies} pagination={false}
        data-testid="discrepancies" locale={{ emptyText: zh.recon.noDiscrepancies }}
        onRow={(d) => ({ 'data-testid': `discrepancy-${d.kind}` } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          ...(showDate ? [{ title: zh.recon.date, key: 'date', width: 110, render: (_: unknown, d: StoreDiscrepancy) => (d as StoreDiscrepancy & { date?: string }).date ?? '' }] : []),
          { title: zh.storeDay.till, key: 'till', width: 70, render: (_, d) => <span data-testid="discrepancy-till">{d.tillId ?? zh.none}</span> },
          ...discrepancyFactColumns<StoreDiscrepancy>(),
          { title: zh.recon.status, key: 'status', width: 320, render: (_, d) => <StatusCell d={d} readOnly={readOnly} onPick={(action) => setResolving({ d, action })} /> },
        ]}
      />
      <ResolveModal
        target={resolving} onClose={() => setResolving(null)}
        send={async (d, action, reason) => { const day = await api.resolveStore(d.id, action, reason); setResolving(null); onResolved(day); }}
      />
    </>
  );
}

function StatusCell({ d, readOnly, onPick }: { d: StoreDiscrepancy; readOnly: boolean; onPick(action: ResolutionAction): void }): React.JSX.Element {
  const r = d.request;
  const request = r && (
    <div data-testid="store-request" data-status={r.status}>
      <Tag color={REQUEST_COLOURS[r.status]}>{actionLabel(r.action)}</Tag>
      <span>{r.message}</span>
      <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{zh.storeDay.filedFrom(r.requestedBy, r.requestedFrom)}</Typography.Text></div>
    </div>
  );
  if (d.status === 'resolved') return <span data-testid="resolution"><Tag color="green">{zh.recon.resolved}</Tag>{request}</span>;
  // While the owning till has not carried out a request, nothing else is offered for it.
  const offer = !readOnly && r?.status !== 'pending' && r?.status !== 'running';
  return (
    <Space direction="vertical" size={4}>
      <Space wrap size={4}>
        <Tag color="orange">{zh.recon.open}</Tag>
        {offer && d.allowed.map((action) => (
          <Button key={action} size="small" onClick={() => onPick(action)} data-testid={`resolve-${action}`}>{zh.recon.resolution[action]}</Button>
        ))}
      </Space>
      {request}
    </Space>
  );
}
