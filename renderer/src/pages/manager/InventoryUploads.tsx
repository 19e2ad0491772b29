// 库存上传 on the 进销存上传 page: per day, the 3501–3504/3507 uploads (from the POS or a file), what
// was reported, what waits, what the platform refused and why, with a retry; and the import of a
// CSV/xlsx file of one kind with its template. A file with a bad row is refused whole (the line and
// the field are named), nothing of it is stored.
import { useRef, useState } from 'react';
import { Alert, Button, Card, Select, Space, Table, Tag } from 'antd';
import { INVENTORY_UPLOAD_INFNOS, type InventoryDayView, type InventoryUploadView } from '../../../../core/contracts/trace';
import { api, type ApiError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError } from '../../hooks/useLoad';
import { shell } from '../../shell';
import { zh } from '../../strings';

const STATE_COLOR: Record<string, string> = { queued: 'blue', sending: 'processing', accepted: 'green', rejected: 'red', void: 'default' };
type Infno = (typeof INVENTORY_UPLOAD_INFNOS)[number];

function base64Of(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let text = '';
  for (let i = 0; i < view.length; i += 0x8000) text += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(text);
}

export function InventoryUploads(props: { day: string; data: InventoryDayView | null; loading: boolean; reload: () => Promise<unknown> }): React.JSX.Element {
  const { day, data, loading, reload } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [infno, setInfno] = useState<Infno>('3503');
  const [refusal, setRefusal] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const retry = async (body: { ids?: number[]; date?: string }): Promise<void> => {
    try {
      const { retried } = await api.inventoryRetry(body);
      setNotice(zh.trace.retried(retried));
      await reload();
    } catch (e) { setError(asApiError(e)); }
  };
  const template = async (format: 'csv' | 'xlsx'): Promise<void> => {
    try {
      const t = await api.inventoryTemplate(infno, format);
      await shell.saveFile(t.name, t.blob);
    } catch (e) { setError(asApiError(e)); }
  };
  const importFile = async (chosen: File): Promise<void> => {
    setRefusal(''); setNotice(''); setError(null);
    try {
      const xlsx = /\.xlsx$/i.test(chosen.name);
      const content = xlsx ? base64Of(await chosen.arrayBuffer()) : await chosen.text();
      const r = await api.inventoryImport({ infno, format: xlsx ? 'xlsx' : 'csv', content });
      setNotice(zh.inventory.imported(r.rows, r.created, r.repeated));
      await reload();
    } catch (e) {
      const err = asApiError(e);
      if (err.code === 'IMPORT_REFUSED' || err.code === 'KEY_CONFLICT') setRefusal(err.message); else setError(err);
    } finally {
      if (file.current) file.current.value = '';
    }
  };
  const waiting = data ? data.rows.queued + data.rows.sending : 0;
  return (
    <Card
      title={zh.inventory.title} data-testid="inventory-uploads"
      extra={<Button danger disabled={!data || data.rows.rejected === 0} onClick={() => void retry({ date: day })} data-testid="inventory-retry-all">{zh.inventory.retryAll}</Button>}
    >
      <ErrorNotice error={error} onClose={() => setError(null)} />
      {notice && <Alert type="info" showIcon title={notice} closable onClose={() => setNotice('')} style={{ marginBottom: 8 }} data-testid="inventory-notice" />}
      {data && (
        <Space style={{ marginBottom: 12 }} data-testid="inventory-summary">
          <Tag color={data.complete ? 'green' : 'orange'}>{data.complete ? zh.trace.complete : zh.trace.incomplete}</Tag>
          <span>{zh.inventory.counts(data.rows.accepted, waiting, data.rows.rejected)}</span>
        </Space>
      )}
      <Table<InventoryUploadView>
        size="small" rowKey="id" loading={loading} dataSource={data?.list ?? []} pagination={{ pageSize: 50 }} data-testid="inventory-rows"
        columns={[
          { title: zh.inventory.colKey, dataIndex: 'key', className: 'mono' },
          { title: zh.inventory.colKind, dataIndex: 'infno', render: (i: string) => zh.inventory.kinds[i] ?? i },
          { title: zh.inventory.colBatch, dataIndex: 'bchno', className: 'mono' },
          { title: zh.inventory.colItem, key: 'item', render: (_, x) => (x.itemName ? `${x.itemName}（${x.catalogueCode}）` : '') },
          { title: zh.inventory.colOrigin, dataIndex: 'origin', render: (o: string) => zh.inventory.origin[o] ?? o },
          { title: zh.inventory.colState, key: 'state', render: (_, x) => <Tag color={STATE_COLOR[x.state]}>{zh.trace.states[x.state]}</Tag> },
          { title: zh.inventory.colSends, dataIndex: 'sends' },
          { title: zh.inventory.colNote, dataIndex: 'note', render: (n: string, x) => (x.state === 'rejected' ? n : '') },
          { title: zh.actions, key: 'actions', render: (_, x) => x.state === 'rejected' && <Button size="small" onClick={() => void retry({ ids: [x.id] })} data-testid={`inventory-retry-${x.id}`}>{zh.trace.retryOne}</Button> },
        ]}
      />
      <Card type="inner" title={zh.inventory.importTitle} style={{ marginTop: 12 }} data-testid="inventory-import">
        <p style={{ marginTop: 0 }}>{zh.inventory.importHint}</p>
        <Space wrap>
          <span>{zh.inventory.importKind}</span>
          <Select<Infno> style={{ width: 200 }} value={infno} onChange={(v) => { setInfno(v); setRefusal(''); }} data-testid="inventory-import-kind"
            options={INVENTORY_UPLOAD_INFNOS.map((i) => ({ value: i, label: zh.inventory.kinds[i] ?? i }))} />
          <Button onClick={() => void template('xlsx')} data-testid="inventory-template-xlsx">{zh.inventory.template('Excel')}</Button>
          <Button onClick={() => void template('csv')} data-testid="inventory-template-csv">{zh.inventory.template('CSV')}</Button>
          <Button type="primary" onClick={() => file.current?.click()} data-testid="inventory-import-choose">{zh.inventory.chooseFile}</Button>
          <input ref={file} type="file" accept=".csv,.xlsx,text/csv" style={{ display: 'none' }} data-testid="inventory-import-file"
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); }} />
        </Space>
        {refusal && <Alert type="error" showIcon title={refusal} style={{ marginTop: 8 }} data-testid="inventory-import-refused" />}
      </Card>
    </Card>
  );
}
