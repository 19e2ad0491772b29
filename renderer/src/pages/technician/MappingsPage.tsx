// The store's item codes mapped to the insurance catalogue. An unmapped item sells as full self-pay,
// so the table shows which mappings point at nothing in the catalogue.
import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { type z } from 'zod';
import { SkuMapping, type SkuMappingView } from '../../../../core/contracts/technician';
import { api, type ApiError, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';
import { CataloguePanel } from './CataloguePanel';

type Mapping = z.infer<typeof SkuMappingView>;
type Entry = z.input<typeof SkuMapping>;

export function MappingsPage(): React.JSX.Element {
  const mappings = useLoad(() => api.skuMappings());
  const [editing, setEditing] = useState<Entry | null>(null);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async (sku: string): Promise<void> => {
    try {
      await api.deleteSkuMapping(sku);
      await mappings.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const needle = filter.trim().toLowerCase();
  const rows = (mappings.data ?? []).filter((m) => !needle || `${m.sku} ${m.catalogueCode} ${m.catalogue?.name ?? ''} ${m.note}`.toLowerCase().includes(needle));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <CataloguePanel onDownloaded={() => void mappings.reload()} />
      <Card
        title={zh.technician.mappingsTitle}
        data-testid="mappings"
        extra={(
          <Space>
            <Input.Search allowClear placeholder={zh.technician.mappingSearch} value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: 220 }} />
            <Button type="primary" onClick={() => setEditing({ sku: '', catalogueCode: '', note: '' })} data-testid="add-mapping">{zh.add}</Button>
          </Space>
        )}
      >
        <ErrorNotice error={mappings.error ?? error} onClose={() => setError(null)} />
        <Table<Mapping>
          size="small" rowKey="sku" loading={mappings.loading} dataSource={rows} pagination={{ pageSize: 15, hideOnSinglePage: true }}
          columns={[
            { title: zh.technician.mappingSku, dataIndex: 'sku', render: (s: string) => <span className="mono">{s}</span> },
            { title: zh.technician.mappingCode, dataIndex: 'catalogueCode', render: (s: string) => <span className="mono">{s}</span> },
            {
              title: zh.technician.mappingCatalogue, key: 'catalogue',
              render: (_, m) => (m.catalogue
                ? <>{m.catalogue.name} <Tag>{zh.checkout.listClass(m.catalogue.listClass)}</Tag></>
                : <Tag color="red">{zh.technician.mappingNotInCatalogue}</Tag>),
            },
            {
              title: zh.technician.mappingVerification, key: 'verification',
              render: (_, m) => (
                <span title={m.explanation} data-testid={`verification-${m.sku}`}>
                  {m.verification === 'verified' ? <Tag color="green">{zh.technician.mappingVerified}</Tag>
                    : m.verification === 'unverified' ? <Tag color="orange">{zh.technician.mappingUnverified}</Tag>
                      : <Tag color="red">{zh.technician.mappingNotInDownload}</Tag>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{m.explanation}</Typography.Text>
                </span>
              ),
            },
            { title: zh.technician.mappingNote, dataIndex: 'note' },
            { title: zh.technician.mappingUpdated, key: 'updated', render: (_, m) => <Typography.Text type="secondary">{m.updatedBy} {new Date(m.updatedAt).toLocaleDateString('zh-CN')}</Typography.Text> },
            {
              title: zh.actions, key: 'actions', width: 130,
              render: (_, m) => (
                <Space size={4}>
                  <Button size="small" onClick={() => setEditing({ sku: m.sku, catalogueCode: m.catalogueCode, note: m.note })}>{zh.edit}</Button>
                  <Popconfirm title={zh.technician.mappingDeleteConfirm(m.sku)} okText={zh.ok} cancelText={zh.cancel} onConfirm={() => remove(m.sku)}>
                    <Button size="small" danger>{zh.delete}</Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
        <MappingForm entry={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void mappings.reload(); }} />
      </Card>
    </Space>
  );
}

function MappingForm({ entry, onClose, onSaved }: { entry: Entry | null; onClose: () => void; onSaved: () => void }): React.JSX.Element {
  const [form] = Form.useForm<Entry>();
  const [error, setError] = useState<ApiError | null>(null);
  const isNew = entry?.sku === '';
  const save = async (): Promise<void> => {
    const parsed = SkuMapping.safeParse(form.getFieldsValue());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setError(inputError(String(issue.path[0] ?? 'sku'), issue.message));
      return;
    }
    try {
      await api.saveSkuMapping(parsed.data);
      setError(null);
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Modal open={entry !== null} title={isNew ? zh.add : zh.edit} okText={zh.save} cancelText={zh.cancel} onOk={() => void save()} onCancel={() => { setError(null); onClose(); }} destroyOnHidden>
      <ErrorNotice error={error} />
      <Form form={form} layout="vertical" initialValues={entry ?? undefined} onFinish={() => void save()} preserve={false}>
        <Form.Item name="sku" label={zh.technician.mappingSku}><Input disabled={!isNew} data-testid="mapping-sku" autoFocus={isNew} /></Form.Item>
        <Form.Item name="catalogueCode" label={zh.technician.mappingCode}><Input data-testid="mapping-code" /></Form.Item>
        <Form.Item name="note" label={zh.technician.mappingNote}><Input data-testid="mapping-note" onPressEnter={() => void save()} /></Form.Item>
      </Form>
    </Modal>
  );
}
