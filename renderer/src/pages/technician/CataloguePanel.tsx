// The downloaded national catalogues: version, rows, last download and its result, and a "download
// now" button (the backend lets only the technician run it). A download interrupted half-way keeps
// what it had completed; the message says where the next download resumes.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { type z } from 'zod';
import { type CatalogueKindView, type HilistQueryView } from '../../../../core/contracts/technician';
import { api, type ApiError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

type Kind = z.infer<typeof CatalogueKindView>;
type Query = z.infer<typeof HilistQueryView>;

/** While a download runs, the status route shows its progress (pages and rows stored so far). */
const POLL_MS = 1000;

export function CataloguePanel({ onDownloaded }: { onDownloaded?: () => void }): React.JSX.Element {
  const view = useLoad(() => api.catalogues());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const [live, setLive] = useState<Query[] | null>(null);
  useEffect(() => {
    if (!busy) { setLive(null); return undefined; }
    const timer = setInterval(() => { api.catalogues().then((v) => setLive(v.queries), () => undefined); }, POLL_MS);
    return () => clearInterval(timer);
  }, [busy]);
  const download = async (): Promise<void> => {
    setBusy(true);
    try {
      const result = await api.downloadCatalogues();
      setMessages([...result.catalogues.map((c) => c.message), ...result.queries.map((q) => q.message), ...result.dictionaries.filter((d) => !d.ok).map((d) => d.message)]);
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
      <Typography.Title level={5} style={{ marginTop: 12 }}>{t.hilistTitle}</Typography.Title>
      <Table<Query>
        size="small" rowKey="infno" loading={view.loading} dataSource={live ?? view.data?.queries ?? []} pagination={false} data-testid="catalogue-queries"
        columns={[
          { title: t.hilistQuery, key: 'kind', render: (_, q) => <>{q.name} <Typography.Text type="secondary">{q.infno}</Typography.Text></> },
          { title: t.hilistLastUpdate, dataIndex: 'lastUpdate', render: (v: string) => <span className="mono" data-testid="query-last-update">{v || t.hilistNone}</span> },
          { title: t.catalogueRows, dataIndex: 'rows' },
          { title: t.catalogueLastDownload, key: 'last', render: (_, q) => (q.lastAttemptAt ? new Date(q.lastAttemptAt).toLocaleString('zh-CN') : <Typography.Text type="secondary">{t.catalogueNever}</Typography.Text>) },
          {
            title: t.catalogueResult, key: 'result',
            render: (_, q) => {
              if (q.running) return <Tag color="blue" data-testid="query-progress">{t.hilistProgress(q.running.pages, q.running.rows, q.running.total)}</Tag>;
              if (q.lastOk === null) return null;
              return (
                <>
                  <Tag color={q.lastOk ? 'green' : 'orange'}>{q.lastOk ? t.catalogueOk : t.catalogueFailed}</Tag>
                  <Typography.Text type="secondary">{q.lastMessage}</Typography.Text>
                  {q.nextPage > 1 && <div><Typography.Text type="warning">{t.hilistResume(q.since, q.nextPage)}</Typography.Text></div>}
                </>
              );
            },
          },
        ]}
      />
      <Typography.Text type="secondary">{t.catalogueDictionaries(view.data?.dictionaries.length ?? 0)}</Typography.Text>
    </Card>
  );
}
