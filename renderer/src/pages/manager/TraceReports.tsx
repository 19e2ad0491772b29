// 进销存上传: per day, the 3505/3506 rows (one per sold line, its boxes' 追溯码), what was reported,
// what waits (an offline sale waits for its settlement), what the platform refused and why, with a
// retry. A day shows as fully reported only when nothing waits and nothing was refused. Below it,
// the 执业药师 of each operator, which every reported sale names. The inventory uploads (3501–3504/3507)
// of the day are in their own card (InventoryUploads.tsx); the day is shown as fully reported only
// when both the sales rows and the inventory uploads are.
import { useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table, Tag } from 'antd';
import { type PharmacistSetting, type ReportRowView, type WriteOffView } from '../../../../core/contracts/trace';
import { api, type ApiError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { useLive, useLiveEvent } from '../../live';
import { zh } from '../../strings';
import { InventoryUploads } from './InventoryUploads';

const STATE_COLOR: Record<string, string> = { queued: 'blue', sending: 'processing', accepted: 'green', rejected: 'red', void: 'default' };

export function TraceReports(): React.JSX.Element {
  const { status } = useLive();
  const [date, setDate] = useState('');
  const day = date || status?.businessDate || '';
  const report = useLoad(() => (day ? api.traceDay(day) : Promise.resolve(null)), [day]);
  const inventory = useLoad(() => (day ? api.inventoryDay(day) : Promise.resolve(null)), [day]);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  useLiveEvent(['sync', 'status', 'sale'], () => { void report.reload(); void inventory.reload(); });
  const retry = async (body: { ids?: number[]; date?: string }): Promise<void> => {
    try {
      const { retried } = await api.traceRetry(body);
      setNotice(zh.trace.retried(retried));
      await report.reload();
    } catch (e) { setError(asApiError(e)); }
  };
  const r = report.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={zh.trace.title} data-testid="trace-reports"
        extra={(
          <Space>
            <Input type="date" value={day} onChange={(e) => setDate(e.target.value)} style={{ width: 160 }} data-testid="trace-date" />
            <Button onClick={() => { void report.reload(); void inventory.reload(); }} data-testid="trace-refresh">{zh.refresh}</Button>
            <Button danger disabled={!r || r.rows.rejected === 0} onClick={() => void retry({ date: day })} data-testid="trace-retry-all">{zh.trace.retryAll}</Button>
          </Space>
        )}
      >
        <ErrorNotice error={report.error ?? error} onClose={() => setError(null)} />
        {notice && <Alert type="info" showIcon title={notice} closable onClose={() => setNotice('')} style={{ marginBottom: 8 }} />}
        {r && inventory.data && (
          <Alert type={r.complete && inventory.data.complete ? 'success' : 'warning'} showIcon style={{ marginBottom: 8 }} data-testid="trace-day-complete"
            title={r.complete && inventory.data.complete ? zh.trace.dayComplete : zh.trace.dayIncomplete} />
        )}
        {r && (
          <Space style={{ marginBottom: 12 }} data-testid="trace-summary">
            <Tag color={r.complete ? 'green' : 'orange'} data-testid="trace-complete">{r.complete ? zh.trace.complete : zh.trace.incomplete}</Tag>
            <span>{zh.trace.boxes(r.boxes.reported, r.boxes.waiting, r.boxes.rejected)}</span>
          </Space>
        )}
        <Table<ReportRowView>
          size="small" rowKey="id" loading={report.loading} dataSource={r?.list ?? []} pagination={{ pageSize: 50 }} data-testid="trace-rows"
          columns={[
            { title: zh.trace.colSale, dataIndex: 'saleId', className: 'mono' },
            { title: zh.trace.colKind, dataIndex: 'kind', render: (k: string) => zh.trace.kind[k] ?? k },
            { title: zh.trace.colItem, key: 'item', render: (_, x) => `${x.name}（${x.catalogueCode}）` },
            { title: zh.trace.colQty, dataIndex: 'qty' },
            { title: zh.trace.colBoxes, dataIndex: 'boxes' },
            { title: zh.trace.colState, key: 'state', render: (_, x) => <Tag color={STATE_COLOR[x.state]}>{x.waitingForSettlement ? zh.trace.waitingSettlement : zh.trace.states[x.state]}</Tag> },
            { title: zh.trace.colSends, dataIndex: 'sends' },
            { title: zh.trace.colNote, dataIndex: 'note', render: (n: string, x) => (x.state === 'rejected' ? n : '') },
            { title: zh.actions, key: 'actions', render: (_, x) => x.state === 'rejected' && <Button size="small" onClick={() => void retry({ ids: [x.id] })} data-testid={`trace-retry-${x.id}`}>{zh.trace.retryOne}</Button> },
          ]}
        />
      </Card>
      <InventoryUploads day={day} data={inventory.data ?? null} loading={inventory.loading} reload={inventory.reload} />
      <WriteOffs day={day} />
      <Pharmacists />
    </Space>
  );
}

const WRITE_OFF_COLOR: Record<string, string> = { ...STATE_COLOR, held: 'orange' };

/** 7206 write-offs of the day: a held one (our data missing) shows the field it waits for; 重试 for held and refused ones. */
function WriteOffs({ day }: { day: string }): React.JSX.Element {
  const list = useLoad(() => (day ? api.writeOffDay(day) : Promise.resolve([])), [day]);
  const [error, setError] = useState<ApiError | null>(null);
  useLiveEvent(['sync', 'status', 'sale'], () => { void list.reload(); });
  const retry = async (ids: number[]): Promise<void> => {
    try { await api.writeOffRetry({ ids }); setError(null); await list.reload(); } catch (e) { setError(asApiError(e)); }
  };
  return (
    <Card title={zh.trace.writeOffTitle} data-testid="writeoffs" extra={<Button onClick={() => void list.reload()} data-testid="writeoffs-refresh">{zh.refresh}</Button>}>
      <ErrorNotice error={list.error ?? error} onClose={() => setError(null)} />
      <Table<WriteOffView>
        size="small" rowKey="id" loading={list.loading} dataSource={list.data ?? []} pagination={{ pageSize: 50 }} data-testid="writeoff-rows"
        columns={[
          { title: zh.trace.colSale, dataIndex: 'saleId', className: 'mono' },
          { title: zh.trace.colRx, dataIndex: 'hiRxno', className: 'mono' },
          { title: zh.trace.colState, key: 'state', render: (_, x) => <Tag color={WRITE_OFF_COLOR[x.state]}>{zh.trace.writeOffStates[x.state] ?? x.state}</Tag> },
          { title: zh.trace.colNote, key: 'note', render: (_, x) => (x.heldFor ? `${zh.trace.writeOffHeldFor(x.heldFor)}；${x.note}` : x.state === 'rejected' ? x.note : '') },
          { title: zh.actions, key: 'actions', render: (_, x) => (x.state === 'held' || x.state === 'rejected') && <Button size="small" onClick={() => void retry([x.id])} data-testid={`writeoff-retry-${x.id}`}>{zh.trace.retryOne}</Button> },
        ]}
      />
    </Card>
  );
}

function Pharmacists(): React.JSX.Element {
  const operators = useLoad(() => api.operators());
  const [operatorId, setOperatorId] = useState('');
  const current = useLoad(() => (operatorId ? api.pharmacist(operatorId) : Promise.resolve(null)), [operatorId]);
  const [form, setForm] = useState<PharmacistSetting>({ name: '', certNo: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const list = useLoad(() => api.pharmacists());
  const save = async (): Promise<void> => {
    // 证件类型 and 证件号码 go together; an empty number means none.
    const body: PharmacistSetting = form.idNo ? { ...form, idType: form.idType ?? '01' } : { name: form.name, certNo: form.certNo };
    try { await api.setPharmacist(operatorId, body); setSaved(true); setError(null); await current.reload(); await list.reload(); } catch (e) { setError(asApiError(e)); }
  };
  const setRecheck = async (v: string): Promise<void> => {
    try { await api.setRecheckPharmacist(v || null); setError(null); await list.reload(); } catch (e) { setError(asApiError(e)); }
  };
  // The list masks ID numbers; the full number is only in the manager's own form.
  const masked = (id: string): string => (list.data ?? []).find((p) => p.operatorId === id)?.idNoMasked ?? zh.trace.pharmacistIdNone;
  return (
    <Card title={zh.trace.pharmacistTitle} data-testid="pharmacists">
      <ErrorNotice error={operators.error ?? error} onClose={() => setError(null)} />
      <Space wrap>
        <span>{zh.trace.pharmacistOperator}</span>
        <Select style={{ width: 160 }} value={operatorId || undefined} onChange={(v: string) => { setOperatorId(v); setSaved(false); }} data-testid="pharmacist-operator"
          options={(operators.data ?? []).map((o) => ({ value: o.operatorId, label: `${o.operatorId} ${o.name}` }))} />
        {operatorId && <span data-testid="pharmacist-current">{current.data ? `${current.data.name} / ${current.data.certNo} / ${masked(operatorId)}` : zh.trace.pharmacistNone}</span>}
        <span>{zh.trace.recheckDefault}</span>
        <Select style={{ width: 200 }} data-testid="recheck-default" value={(list.data ?? []).find((p) => p.recheckDefault)?.operatorId ?? ''} onChange={(v: string) => void setRecheck(v)}
          options={[{ value: '', label: zh.trace.recheckNone }, ...(list.data ?? []).map((p) => ({ value: p.operatorId, label: `${p.operatorId} ${p.name}` }))]} />
      </Space>
      {operatorId && (
        <Space style={{ marginTop: 12 }} wrap>
          <Input placeholder={zh.trace.pharmacistName} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} style={{ width: 160 }} data-testid="pharmacist-name" />
          <Input placeholder={zh.trace.pharmacistCert} value={form.certNo} onChange={(e) => setForm({ ...form, certNo: e.target.value })} style={{ width: 220 }} data-testid="pharmacist-cert" />
          <Select style={{ width: 150 }} aria-label={zh.trace.pharmacistIdType} placeholder={zh.trace.pharmacistIdType} value={form.idType} data-testid="pharmacist-id-type"
            onChange={(v: '01') => setForm({ ...form, idType: v })} options={Object.entries(zh.trace.pharmacistIdTypes).map(([value, label]) => ({ value, label }))} />
          <Input placeholder={zh.trace.pharmacistIdNo} value={form.idNo ?? ''} onChange={(e) => setForm({ ...form, idNo: e.target.value })} style={{ width: 220 }} data-testid="pharmacist-id-no" autoComplete="off" />
          <Button type="primary" onClick={() => void save()} data-testid="pharmacist-save">{zh.trace.pharmacistSave}</Button>
          {saved && <Tag color="green">{zh.ok}</Tag>}
        </Space>
      )}
    </Card>
  );
}
