// Head office (总部): every store's business day from the chain's store ledger (a store that has
// nothing that day shows 无数据), a store's day in detail, the xlsx of a range across stores, and
// the publications (signed policy packages, SKU-mapping changes) with each till's answer. Every
// figure is the backend's; without a ledger the page says 未配置账本.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { type HeadOfficeDayRow, type HeadOfficeStoreDay, type PublicationView } from '../../../../core/contracts/headoffice';
import { api, type ApiError } from '../../api';
import { Amount } from '../../components/Amount';
import { ErrorNotice } from '../../components/ErrorNotice';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { useLive } from '../../live';
import { shell } from '../../shell';
import { zh } from '../../strings';

const t = zh.headOffice;
const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : t.never);

function StateTag({ row }: { row: HeadOfficeDayRow }): React.JSX.Element {
  if (!row.hasData) return <Tag data-testid={`ho-state-${row.fixmedinsCode}`}>{t.noData}</Tag>;
  if (row.result === null) return <Tag color="orange" data-testid={`ho-state-${row.fixmedinsCode}`}>{t.unchecked}</Tag>;
  return <Tag color={row.balanced ? 'green' : 'red'} data-testid={`ho-state-${row.fixmedinsCode}`}>{row.balanced ? t.balanced : t.unbalanced}</Tag>;
}

export function HeadOffice(): React.JSX.Element {
  const { status } = useLive();
  const [picked, setPicked] = useState('');
  const date = picked || status?.businessDate || '';
  const days = useLoad(() => (date ? api.headOfficeDays(date) : Promise.resolve(undefined)), [date]);
  const [open, setOpen] = useState<HeadOfficeDayRow | null>(null);
  if (days.error?.code === 'NO_LEDGER') {
    return (
      <Card title={t.title} data-testid="head-office">
        <Alert type="warning" showIcon title={t.noLedger} description={t.noLedgerHelp} data-testid="ho-no-ledger" />
      </Card>
    );
  }
  const stores = days.data?.stores ?? [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t.title}
        data-testid="head-office"
        extra={(
          <Space wrap>
            {days.data && <Typography.Text type="secondary" data-testid="ho-chain">{t.chain(days.data.chain)}</Typography.Text>}
            <span>{t.date}</span>
            <Input type="date" value={date} onChange={(e) => setPicked(e.target.value)} style={{ width: 160 }} data-testid="ho-date" />
            <Button onClick={() => void days.reload()} data-testid="ho-refresh">{t.refresh}</Button>
          </Space>
        )}
      >
        <ErrorNotice error={days.error} />
        <Table<HeadOfficeDayRow>
          size="small" pagination={false} rowKey="fixmedinsCode" dataSource={stores} loading={days.loading} data-testid="ho-days"
          onRow={(row) => ({ 'data-testid': `ho-row-${row.fixmedinsCode}` } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t.store, dataIndex: 'storeName' },
            { title: t.code, dataIndex: 'fixmedinsCode' },
            { title: t.sales, dataIndex: 'sales', align: 'right' },
            { title: t.confirmed, align: 'right', render: (_, r) => <Amount value={r.confirmedMedfee} /> },
            { title: t.atRisk, align: 'right', render: (_, r) => <Amount value={r.provisionalAtRisk} testId={`ho-risk-${r.fixmedinsCode}`} /> },
            { title: t.unsynced, dataIndex: 'unsynced', align: 'right', render: (n: number) => (n > 0 ? <Tag color="orange">{n}</Tag> : n) },
            { title: t.open, dataIndex: 'openDiscrepancies', align: 'right', render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : n) },
            { title: t.state, render: (_, r) => <StateTag row={r} /> },
            { title: t.closed, render: (_, r) => (r.closed ? <Tag color="blue">{t.closedYes}</Tag> : t.closedNo) },
            { title: '', render: (_, r) => <Button size="small" onClick={() => setOpen(r)} data-testid={`ho-open-${r.fixmedinsCode}`}>{t.view}</Button> },
          ]}
        />
        <RangeExport defaultDate={date} />
      </Card>
      <Publications stores={stores} />
      <StoreDayDrawer row={open} onClose={() => setOpen(null)} />
    </Space>
  );
}

function RangeExport({ defaultDate }: { defaultDate: string }): React.JSX.Element {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { message } = App.useApp();
  const range = { from: from || defaultDate, to: to || defaultDate };
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const file = await api.headOfficeExport(range.from, range.to);
      const saved = await shell.saveFile(file.name, file.blob);
      if (saved.saved) void message.success(t.exported(file.name));
    } catch (e) { setError(asApiError(e)); } finally { setBusy(false); }
  };
  return (
    <div style={{ marginTop: 12 }}>
      <ErrorNotice error={error} onClose={() => setError(null)} testId="ho-export-error" />
      <Space wrap>
        <span>{t.range}</span>
        <span>{t.from}</span>
        <Input type="date" value={range.from} onChange={(e) => setFrom(e.target.value)} style={{ width: 160 }} data-testid="ho-from" />
        <span>{t.to}</span>
        <Input type="date" value={range.to} onChange={(e) => setTo(e.target.value)} style={{ width: 160 }} data-testid="ho-to" />
        <Button loading={busy} disabled={!range.from || !range.to} onClick={() => void run()} data-testid="ho-export">{t.exportXlsx}</Button>
      </Space>
    </div>
  );
}

function StoreDayDrawer({ row, onClose }: { row: HeadOfficeDayRow | null; onClose: () => void }): React.JSX.Element {
  const detail = useLoad(() => (row ? api.headOfficeStoreDay(row.fixmedinsCode, row.date) : Promise.resolve(undefined)), [row?.fixmedinsCode, row?.date]);
  const d: HeadOfficeStoreDay | undefined = row && detail.data?.row.fixmedinsCode === row.fixmedinsCode && detail.data.row.date === row.date ? detail.data : undefined;
  return (
    <Drawer open={row !== null} onClose={onClose} size={820} title={row ? t.detailTitle(row.storeName, row.date) : ''} destroyOnHidden>
      <div data-testid="ho-detail">
        <ErrorNotice error={detail.error} />
        {d && (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Descriptions size="small" column={3} bordered items={[
              { key: 's', label: t.sales, children: d.row.sales },
              { key: 'c', label: t.confirmed, children: <Amount value={d.row.confirmedMedfee} /> },
              { key: 'r', label: t.atRisk, children: <Amount value={d.row.provisionalAtRisk} /> },
              { key: 'u', label: t.unsynced, children: d.row.unsynced },
              { key: 'o', label: t.open, children: d.row.openDiscrepancies },
              { key: 'st', label: t.state, children: <StateTag row={d.row} /> },
            ]} />
            <div data-testid="ho-checks">
              <Typography.Title level={5}>{t.checks}</Typography.Title>
              {d.closed && <Typography.Paragraph>{t.closedLine(when(d.closed.at), d.closed.by, d.closed.fromTill)}</Typography.Paragraph>}
              {d.checks.length === 0 ? <Typography.Text type="secondary">{t.noChecks}</Typography.Text>
                : d.checks.map((c) => <Typography.Paragraph key={c.id} style={{ marginBottom: 4 }}>{t.checkLine(when(c.at), c.by, c.fromTill, c.result, c.message)}</Typography.Paragraph>)}
            </div>
            <div>
              <Typography.Title level={5}>{t.discrepancies}</Typography.Title>
              <Table size="small" pagination={false} rowKey="id" dataSource={d.discrepancies} data-testid="ho-discrepancies" columns={[
                { title: t.till, dataIndex: 'tillId' }, { title: t.saleId, dataIndex: 'saleId' }, { title: t.msgid, dataIndex: 'msgid' }, { title: t.kind, dataIndex: 'kind' },
                { title: t.status, dataIndex: 'status', render: (s: string) => (s === 'open' ? <Tag color="red">{t.statusOpen}</Tag> : <Tag>{t.statusResolved}</Tag>) },
              ]} />
            </div>
            <div>
              <Typography.Title level={5}>{t.tills}</Typography.Title>
              <Table size="small" pagination={false} rowKey="tillId" dataSource={d.tills} data-testid="ho-tills" columns={[
                { title: t.till, dataIndex: 'tillId' }, { title: t.sales, dataIndex: 'sales', align: 'right' }, { title: t.pending, dataIndex: 'pending', align: 'right' },
                { title: t.lastPush, dataIndex: 'lastPushAt', render: (v: string | null) => when(v) },
              ]} />
            </div>
            <div>
              <Typography.Title level={5}>{t.unsyncedSales}</Typography.Title>
              <Table size="small" pagination={false} rowKey="msgid" dataSource={d.unsyncedSales} data-testid="ho-unsynced" columns={[
                { title: t.till, dataIndex: 'tillId' }, { title: t.saleId, dataIndex: 'saleId' }, { title: t.status, dataIndex: 'state' },
                { title: t.total, align: 'right', render: (_, r) => <Amount value={r.total} /> },
                { title: t.fund, align: 'right', render: (_, r) => <Amount value={r.fund} /> },
                { title: t.account, align: 'right', render: (_, r) => <Amount value={r.account} /> },
              ]} />
            </div>
          </Space>
        )}
      </div>
    </Drawer>
  );
}

function Publications({ stores }: { stores: readonly HeadOfficeDayRow[] }): React.JSX.Element {
  const list = useLoad(() => api.publications(), []);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'mapping' | 'policy' | null>(null);
  const [scope, setScope] = useState<string | null>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [form] = Form.useForm<{ sku: string; catalogueCode: string; note: string }>();
  const { message } = App.useApp();
  const done = async (id: number): Promise<void> => { void message.success(t.publishedOk(id)); await list.reload(); };
  const publishMapping = async (values: { sku: string; catalogueCode: string; note: string }): Promise<void> => {
    setBusy('mapping');
    setError(null);
    try {
      const { id } = await api.publishMapping({ sku: values.sku ?? '', catalogueCode: values.catalogueCode ?? '', note: values.note || undefined, scope });
      form.resetFields();
      await done(id);
    } catch (e) { setError(asApiError(e)); } finally { setBusy(null); }
  };
  const publishPolicy = async (): Promise<void> => {
    if (!file) return;
    setBusy('policy');
    setError(null);
    try { const { id } = await api.publishPolicy(file.text, scope); setFile(null); await done(id); } catch (e) { setError(asApiError(e)); } finally { setBusy(null); }
  };
  const chooseFile = (chosen: File | undefined): void => {
    if (!chosen) { setFile(null); return; }
    void chosen.text().then((text) => setFile({ name: chosen.name, text }), (e: unknown) => setError(asApiError(e)));
  };
  const stateTag = (s: PublicationView['tills'][number]): React.JSX.Element => {
    const color = s.state === 'applied' ? 'green' : s.state === 'refused' ? 'red' : 'default';
    const label = s.state === 'applied' ? t.applied : s.state === 'refused' ? t.refused : t.waiting;
    return <Tag key={`${s.fixmedinsCode}/${s.tillId}`} color={color} title={s.message ?? undefined}>{`${s.fixmedinsCode}/${s.tillId} ${label}`}</Tag>;
  };
  return (
    <Card title={t.publications} data-testid="ho-publications" extra={<Button onClick={() => void list.reload()}>{t.refresh}</Button>}>
      <ErrorNotice error={list.error ?? error} onClose={() => setError(null)} testId="ho-publish-error" />
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t.scope}</span>
        <Select<string>
          style={{ width: 220 }} value={scope ?? ''} onChange={(v) => setScope(v || null)} data-testid="ho-scope"
          options={[{ value: '', label: t.scopeAll }, ...stores.map((s) => ({ value: s.fixmedinsCode, label: `${s.storeName}（${s.fixmedinsCode}）` }))]}
        />
      </Space>
      <Typography.Title level={5}>{t.mappingTitle}</Typography.Title>
      <Form form={form} layout="inline" onFinish={(v) => void publishMapping(v)} style={{ marginBottom: 12 }}>
        <Form.Item name="sku" label={t.sku}><Input data-testid="ho-sku" style={{ width: 170 }} /></Form.Item>
        <Form.Item name="catalogueCode" label={t.catalogueCode}><Input data-testid="ho-catalogue" style={{ width: 170 }} /></Form.Item>
        <Form.Item name="note" label={t.note}><Input data-testid="ho-note" style={{ width: 120 }} /></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy === 'mapping'} data-testid="ho-publish-mapping">{t.publishMapping}</Button>
      </Form>
      <Typography.Title level={5}>{t.policyTitle}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t.policyFile}</span>
        <input type="file" accept=".json,application/json" onChange={(e) => chooseFile(e.target.files?.[0])} data-testid="ho-policy-file" />
        <Button loading={busy === 'policy'} disabled={!file} onClick={() => void publishPolicy()} data-testid="ho-publish-policy">{t.publishPolicy}</Button>
      </Space>
      <Table<PublicationView>
        size="small" pagination={false} rowKey="id" dataSource={list.data?.publications ?? []} data-testid="ho-publication-list"
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t.publicationKind, dataIndex: 'kind', render: (k: string) => (k === 'policy_package' ? t.kindPolicy : t.kindMapping) },
          { title: t.scope, dataIndex: 'scope', render: (s: string | null) => s ?? t.scopeAll },
          { title: t.publishedAt, dataIndex: 'publishedAt', render: (v: string) => when(v) },
          { title: t.publishedBy, dataIndex: 'publishedBy' },
          { title: t.answers, render: (_, p) => (p.tills.length === 0 ? <Typography.Text type="secondary">{t.noTills}</Typography.Text> : <Space wrap size={4}>{p.tills.map(stateTag)}</Space>) },
        ]}
      />
    </Card>
  );
}
