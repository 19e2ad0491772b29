// Reconciliation discrepancies with the resolutions the backend allows for each; a resolution is
// confirmed in a dialog (a write-off needs its reason) and its result replaces the row.
import { useState } from 'react';
import { Button, Input, Modal, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { type Discrepancy, type ResolutionAction } from '../../../../core/contracts/reconciliation';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useAction } from '../../hooks/useAction';
import { zh } from '../../strings';

/** What a discrepancy row shows of itself: the fields per-till and store-level discrepancies share. */
type DiscrepancyFacts = Pick<Discrepancy, 'label' | 'cause' | 'saleId' | 'patient' | 'store' | 'centre' | 'difference'>;

/** Kind, cause (with sale and patient) and the store/centre difference: the same columns in both tables. */
export function discrepancyFactColumns<T extends DiscrepancyFacts>(): TableColumnsType<T> {
  return [
    { title: zh.recon.kind, key: 'kind', width: 110, render: (_, d) => <Tag color="volcano">{d.label}</Tag> },
    {
      title: zh.recon.cause, key: 'cause',
      render: (_, d) => (
        <>
          <div>{d.cause}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.saleId && <span className="mono">{d.saleId} </span>}{d.patient && `${d.patient.name} ${d.patient.idNumber}`}
          </Typography.Text>
        </>
      ),
    },
    {
      title: zh.recon.difference, key: 'difference', width: 250,
      render: (_, d) => (
        <div style={{ fontSize: 12 }}>
          <div>{zh.recon.store}：{d.store ? zh.recon.partsText(d.store) : zh.none}</div>
          <div>{zh.recon.centre}：{d.centre ? zh.recon.partsText(d.centre) : zh.none}</div>
          <div><strong>{zh.recon.partsText(d.difference)}</strong></div>
        </div>
      ),
    },
  ];
}

interface Props {
  discrepancies: Discrepancy[];
  loading?: boolean;
  showDate?: boolean;
  onResolved(d: Discrepancy): void;
}

export function DiscrepancyTable({ discrepancies, loading = false, showDate = false, onResolved }: Props): React.JSX.Element {
  const [resolving, setResolving] = useState<{ d: Discrepancy; action: ResolutionAction } | null>(null);
  return (
    <>
      <Table<Discrepancy>
        size="small" rowKey="id" loading={loading} dataSource={discrepancies} pagination={false}
        data-testid="discrepancies" locale={{ emptyText: zh.recon.noDiscrepancies }}
        onRow={(d) => ({ 'data-testid': `discrepancy-${d.kind}` } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          ...(showDate ? [{ title: zh.recon.date, dataIndex: 'date', width: 100 }] : []),
          ...discrepancyFactColumns<Discrepancy>(),
          {
            title: zh.recon.status, key: 'status', width: 300,
            render: (_, d) => (d.status === 'resolved' && d.resolution
              ? <span data-testid="resolution"><Tag color="green">{zh.recon.resolved}</Tag>{zh.recon.resolvedBy(zh.recon.resolution[d.resolution.action], d.resolution.by, d.resolution.amount)}</span>
              : (
                <Space wrap size={4}>
                  <Tag color="orange">{zh.recon.open}</Tag>
                  {d.allowed.map((action) => (
                    <Button key={action} size="small" onClick={() => setResolving({ d, action })} data-testid={`resolve-${action}`}>
                      {zh.recon.resolution[action]}
                    </Button>
                  ))}
                </Space>
              )),
          },
        ]}
      />
      <ResolveModal
        target={resolving} onClose={() => setResolving(null)}
        send={async (d, action, reason) => { const resolved = await api.resolve(d.id, action, reason); setResolving(null); onResolved(resolved); }}
      />
    </>
  );
}

/** What the resolve dialog shows of a discrepancy (the per-till one, or the store's). */
export interface Resolvable { label: string; cause: string; difference: Discrepancy['difference'] }

/** Confirms one resolution (a write-off needs its reason); `send` makes the call and closes the dialog. */
export function ResolveModal<T extends Resolvable>({ target, onClose, send }: { target: { d: T; action: ResolutionAction } | null; onClose: () => void; send: (d: T, action: ResolutionAction, reason: string) => Promise<void> }): React.JSX.Element {
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();
  const writeOff = target?.action === 'write_off';
  const submit = async (): Promise<void> => {
    if (!target) return;
    await run(async () => {
      await send(target.d, target.action, reason.trim());
      setReason('');
    });
  };
  return (
    <Modal
      open={target !== null}
      title={target ? zh.recon.resolveTitle(`${target.d.label} → ${zh.recon.resolution[target.action]}`) : ''}
      okText={<span data-testid="resolve-confirm">{zh.recon.resolveConfirm}</span>}
      cancelText={zh.cancel}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={() => { setError(null); setReason(''); onClose(); }}
      destroyOnHidden
    >
      {target && <Typography.Paragraph>{target.d.cause}</Typography.Paragraph>}
      {target && <Typography.Paragraph strong>{zh.recon.difference}：{zh.recon.partsText(target.d.difference)}</Typography.Paragraph>}
      <ErrorNotice error={error} testId="resolve-error" />
      <Input
        autoFocus
        data-testid="resolve-reason"
        placeholder={writeOff ? zh.recon.reasonRequired : zh.recon.reasonOptional}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        onPressEnter={() => void submit()}
      />
    </Modal>
  );
}
