// The downloaded national catalogues: version, rows, last download and its result, and a "download
// now" button (the backend lets only the technician run it). A download interrupted half-way keeps
// what it had completed; the message says where the next download resumes.
import { useState } from 'react';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { type z } from 'zod';
import { type CatalogueKindView } from '../../../../core/contracts/technician';
import { api, type ApiError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

type Kind = z.infer<typeof CatalogueKindView>;

export function CataloguePanel({ onDownloaded }: { onDownloaded?: () => void }): React.JSX.Element {
  const view = useLoad(() => api.catalogues());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const download = async (): Promise<void> => {
    setBusy(true);
    try {
      const result = await api.downloadCatalogues();
      setMessages([...result.catalogues.map((c) => c.message), ...result.dictionaries.filter((d) => !d.ok).map((d) => d.message)]);
      setError(null);
      await view.reload();
      onDownloaded?.();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const t = zh.technician;
  return (
    <Card
      title={t.cataloguesTitle} data-testid="catalogues" size="small"
      extra={<Button type="primary" loading={busy} onClick={() => void download()} data-testid="download-catalogues">{busy ? t.catalogueDownloading : t.catalogueDownload}</Button>}
    >
      <ErrorNotice error={view.error ?? error} onClose={() => setError(null)} />
      {messages.length > 0 && <Alert type="info" showIcon data-testid="catalogue-messages" style={{ marginBottom: 8 }} message={messages.map((m) => <div key={m}>{m}</div>)} />}
      <Table<Kind>
        size="small" rowKey="infno" loading={view.loading} dataSource={view.data?.catalogues ?? []} pagination={false}
        columns={[
          { title: t.catalogueKind, key: 'kind', render: (_, k) => <>{k.name} <Typography.Text type="secondary">{k.infno}</Typography.Text></> },
          { title: t.catalogueVersion, dataIndex: 'version', render: (v: string) => <span className="mono" data-testid="catalogue-version">{v}</span> },
          { title: t.catalogueRows, dataIndex: 'rows' },
          { title: t.catalogueLastDownload, key: 'last', render: (_, k) => (k.lastAttemptAt ? new Date(k.lastAttemptAt).toLocaleString('zh-CN') : <Typography.Text type="secondary">{t.catalogueNever}</Typography.Text>) },
          {
            title: t.catalogueResult, key: 'result',
            render: (_, k) => (k.lastOk === null ? null : <><Tag color={k.lastOk ? 'green' : 'orange'}>{k.lastOk ? t.catalogueOk : t.catalogueFailed}</Tag><Typography.Text type="secondary">{k.lastMessage}</Typography.Text></>),
          },
        ]}
      />
      <Typography.Text type="secondary">{t.catalogueDictionaries(view.data?.dictionaries.length ?? 0)}</Typography.Text>
    </Card>
  );
}
