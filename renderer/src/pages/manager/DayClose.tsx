// The manager's end of day: check the day against the centre (3201/3202), see the totals
// (confirmed, provisional, adjustments), resolve the discrepancies, close (lock) the day, print the
// daily report and export it. Every figure is the backend's. With a store ledger configured the
// page is the store's day over all tills instead (./StoreDay.tsx).
import { useState } from 'react';
import { App, Button, Card, Checkbox, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import {
  type DayTotals, type DayView, type DetailRowView, type EntryView, type GroupView, type Totals,
} from '../../../../core/contracts/reconciliation';
import { api, type ApiError } from '../../api';
import { Amount } from '../../components/Amount';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PrintPreviewModal } from '../../components/Receipt';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { useAction } from '../../hooks/useAction';
import { useLive } from '../../live';
import { shell } from '../../shell';
import { zh } from '../../strings';
import { DiscrepancyTable } from './DiscrepancyTable';
import { StoreDay } from './StoreDay';

const when = (iso: string): string => new Date(iso).toLocaleString('zh-CN', { hour12: false });

export function DayClose(): React.JSX.Element {
  const { status } = useLive();
  return status?.ledger ? <StoreDay tillId={status.ledger.tillId} businessDate={status.businessDate} fallback={<TillDayClose />} /> : <TillDayClose />;
}

function TillDayClose(): React.JSX.Element {
  const { status } = useLive();
  const [picked, setPicked] = useState('');
  const date = picked || status?.businessDate || '';
  const day = useLoad(() => (date ? api.day(date) : Promise.resolve(undefined)), [date]);
  const [view, setView] = useState<DayView | undefined>();
  const shown = view?.date === date ? view : day.data;
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'check' | 'xlsx' | 'csv' | null>(null);
  const [closing, setClosing] = useState(false);
  const [report, setReport] = useState<string | null>(null);
  const { message } = App.useApp();

  const check = async (): Promise<void> => {
    setBusy('check');
    setError(null);
    try { setView(await api.checkDay(date)); } catch (e) { setError(asApiError(e)); } finally { setBusy(null); }
  };
  const exportDay = async (format: 'xlsx' | 'csv'): Promise<void> => {
    setBusy(format);
    setError(null);
    try {
      const file = await api.exportFile(date, date, format);
      const saved = await shell.saveFile(file.name, file.blob);
      if (saved.saved) void message.success(zh.recon.exported(file.name));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(null);
    }
  };
  const refresh = async (): Promise<void> => { setView(undefined); await day.reload(); };

  return (
    <Card
      title={zh.recon.title}
      data-testid="day-close"
      extra={(
        <Space wrap>
          <span>{zh.recon.date}</span>
          <Input type="date" value={date} onChange={(e) => { setView(undefined); setPicked(e.target.value); }} style={{ width: 160 }} data-testid="day-date" />
          <Button type="primary" loading={busy === 'check'} disabled={!shown || shown.state === 'closed'} onClick={() => void check()} data-testid="check-day">{zh.recon.check}</Button>
          <Button danger disabled={!shown || shown.state === 'closed'} onClick={() => setClosing(true)} data-testid="close-day">{zh.recon.close}</Button>
          <Button disabled={!shown} onClick={() => setReport(date)} data-testid="day-report">{zh.recon.report}</Button>
          <Button loading={busy === 'xlsx'} disabled={!shown} onClick={() => void exportDay('xlsx')} data-testid="export-xlsx">{zh.recon.exportXlsx}</Button>
          <Button loading={busy === 'csv'} disabled={!shown} onClick={() => void exportDay('csv')} data-testid="export-csv">{zh.recon.exportCsv}</Button>
        </Space>
      )}
    >
      <ErrorNotice error={day.error ?? error} onClose={() => setError(null)} />
      {shown && <DaySummaryBlock day={shown} />}
      {shown && (
        <Tabs
          items={[
            {
              key: 'discrepancies', label: zh.recon.tabDiscrepancies(shown.discrepancies.length),
              children: <DiscrepancyTable discrepancies={shown.discrepancies} onResolved={() => void refresh()} />,
            },
            { key: 'groups', label: zh.recon.tabGroups, children: <GroupsTable groups={shown.groups} /> },
            { key: 'detail', label: zh.recon.tabDetail(shown.detail.length), children: <DetailTable rows={shown.detail} /> },
            { key: 'entries', label: zh.recon.tabEntries(shown.entries.length), children: <EntriesTable entries={shown.entries} /> },
          ]}
        />
      )}
      <CloseDayModal open={closing} day={shown} onClose={() => setClosing(false)} onClosed={(v) => { setClosing(false); setView(v); void message.success(zh.recon.closedOk); }} />
      <PrintPreviewModal target={report} title={zh.recon.reportTitle} load={api.dayReportHtml} onClose={() => setReport(null)} width={900} />
    </Card>
  );
}

function DaySummaryBlock({ day }: { day: DayView }): React.JSX.Element {
  return (
    <div data-testid="day-summary" style={{ marginBottom: 12 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Tag color={day.state === 'closed' ? 'blue' : 'default'} data-testid="day-state">
          {day.state === 'closed' ? zh.recon.dayClosed(when(day.closedAt ?? ''), day.closedBy ?? '') : zh.recon.dayOpen}
        </Tag>
        <Tag color={day.balanced ? 'green' : 'red'} data-testid="day-balanced">{day.balanced ? (day.state === 'closed' ? zh.recon.balancedClosed : zh.recon.balanced) : zh.recon.notBalanced}</Tag>
        {day.lastCheck && <Tag data-testid="day-check-result">{zh.recon.centreResult(zh.recon.checkResult[day.lastCheck.result])}</Tag>}
        {day.openDiscrepancies > 0 && <Tag color="orange">{zh.recon.openDiscrepancies(day.openDiscrepancies)}</Tag>}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {day.lastCheck ? zh.recon.lastCheck(when(day.lastCheck.at), day.lastCheck.by, day.lastCheck.message) : zh.recon.neverChecked}
      </Typography.Paragraph>
      <TotalsTable totals={day.totals} />
    </div>
  );
}

export function TotalsTable({ totals }: { totals: DayTotals }): React.JSX.Element {
  const rows: Array<{ key: string; label: string; t: Totals }> = [
    { key: 'confirmed', label: zh.recon.totalsConfirmed, t: totals.confirmed },
    { key: 'provisional', label: zh.recon.totalsProvisional, t: totals.provisional },
    { key: 'adjustments', label: zh.recon.totalsAdjustments, t: totals.adjustments },
    { key: 'all', label: zh.recon.totalsAll, t: totals.all },
  ];
  return (
    <Table
      size="small" pagination={false} dataSource={rows} data-testid="day-totals"
      columns={[
        { title: '', dataIndex: 'label', width: 160 },
        { title: zh.recon.count, key: 'count', align: 'right', render: (_, r) => r.t.count },
        { title: zh.recon.medfee, key: 'medfee', align: 'right', render: (_, r) => <Amount value={r.t.medfee} /> },
        { title: zh.recon.fund, key: 'fund', align: 'right', render: (_, r) => <Amount value={r.t.fund} /> },
        { title: zh.recon.account, key: 'account', align: 'right', render: (_, r) => <Amount value={r.t.account} /> },
        { title: zh.recon.cash, key: 'cash', align: 'right', render: (_, r) => <Amount value={r.t.cash} /> },
      ]}
    />
  );
}

export function GroupsTable({ groups }: { groups: GroupView[] }): React.JSX.Element {
  return (
    <Table<GroupView & { key: string }>
      size="small" pagination={false} dataSource={groups.map((g) => ({ ...g, key: `${g.insutype}-${g.clrType}-${g.setlOptins}` }))}
      columns={[
        { title: zh.recon.insutype, key: 'insutype', render: (_, g) => zh.insutype(g.insutype) },
        { title: zh.recon.clrType, dataIndex: 'clrType' },
        { title: zh.recon.setlOptins, dataIndex: 'setlOptins' },
        { title: zh.recon.count, key: 'count', align: 'right', render: (_, g) => g.store.count },
        { title: zh.recon.medfee, key: 'medfee', align: 'right', render: (_, g) => <Amount value={g.store.medfee} /> },
        { title: zh.recon.fund, key: 'fund', align: 'right', render: (_, g) => <Amount value={g.store.fund} /> },
        { title: zh.recon.account, key: 'account', align: 'right', render: (_, g) => <Amount value={g.store.account} /> },
        { title: zh.recon.result, key: 'result', render: (_, g) => <Tag color={g.result === 'balanced' ? 'green' : g.result === 'unbalanced' ? 'red' : 'default'}>{zh.recon.checkResult[g.result]}</Tag> },
        { title: zh.recon.description, dataIndex: 'description' },
      ]}
    />
  );
}

function DetailTable({ rows }: { rows: DetailRowView[] }): React.JSX.Element {
  const parts = (a: DetailRowView['store']): string => (a ? `${a.medfee} / ${a.fund} / ${a.account}${a.refunded ? ' ↩' : ''}` : zh.none);
  return (
    <Table<DetailRowView>
      size="small" rowKey={(r) => `${r.setlId}-${r.msgid}`} pagination={false} dataSource={rows}
      columns={[
        { title: 'setl_id', dataIndex: 'setlId', render: (s: string) => <span className="mono">{s}</span> },
        { title: 'msgid', dataIndex: 'msgid', render: (s: string) => <span className="mono">{s}</span> },
        { title: zh.recon.result, key: 'result', render: (_, r) => <Tag color={r.result === 'matched' ? 'green' : 'red'}>{zh.recon.detailResult[r.result]}</Tag> },
        { title: `${zh.recon.store}（${zh.recon.medfee}/${zh.recon.fund}/${zh.recon.account}）`, key: 'store', render: (_, r) => parts(r.store) },
        { title: `${zh.recon.centre}（${zh.recon.medfee}/${zh.recon.fund}/${zh.recon.account}）`, key: 'centre', render: (_, r) => parts(r.centre) },
        { title: zh.recon.note, dataIndex: 'memo' },
      ]}
    />
  );
}

function EntriesTable({ entries }: { entries: EntryView[] }): React.JSX.Element {
  return (
    <Table<EntryView>
      size="small" rowKey="id" dataSource={entries} pagination={{ pageSize: 10, hideOnSinglePage: true }}
      columns={[
        { title: zh.recon.entryAt, key: 'at', width: 90, render: (_, e) => new Date(e.at).toLocaleTimeString('zh-CN', { hour12: false }) },
        { title: zh.recon.kind, key: 'kind', width: 70, render: (_, e) => zh.recon.entryKind[e.kind] },
        { title: zh.recon.status, key: 'status', width: 150, render: (_, e) => <Tag color={e.status === 'confirmed' ? 'green' : 'orange'}>{zh.recon.entryStatus[e.status]}</Tag> },
        { title: zh.recon.sale, key: 'sale', render: (_, e) => <span className="mono">{e.saleId ?? zh.none}</span> },
        { title: zh.recon.patient, key: 'patient', render: (_, e) => e.patient?.name ?? zh.none },
        { title: zh.recon.medfee, key: 'medfee', align: 'right', render: (_, e) => <Amount value={e.medfee} /> },
        { title: zh.recon.fund, key: 'fund', align: 'right', render: (_, e) => <Amount value={e.fund} /> },
        { title: zh.recon.account, key: 'account', align: 'right', render: (_, e) => <Amount value={e.account} /> },
        { title: zh.recon.cash, key: 'cash', align: 'right', render: (_, e) => <Amount value={e.cash} /> },
        { title: zh.recon.belongsTo, key: 'belongsTo', render: (_, e) => e.belongsTo ?? '' },
        { title: zh.recon.note, dataIndex: 'note' },
      ]}
    />
  );
}

function CloseDayModal({ open, day, onClose, onClosed }: { open: boolean; day: DayView | undefined; onClose: () => void; onClosed: (v: DayView) => void }): React.JSX.Element {
  const [ack, setAck] = useState(false);
  const [note, setNote] = useState('');
  const { busy, error, setError, run } = useAction();
  const needsAck = day !== undefined && (!day.balanced || day.openDiscrepancies > 0);
  const submit = async (): Promise<void> => {
    if (!day) return;
    if (needsAck && !ack) { setError(asApiError(new Error(zh.recon.closeNeedsAck))); return; }
    await run(async () => {
      onClosed(await api.closeDay(day.date, ack, note.trim()));
      setAck(false);
      setNote('');
    });
  };
  return (
    <Modal
      open={open}
      title={day ? zh.recon.closeTitle(day.date) : ''}
      okText={<span data-testid="close-confirm">{zh.recon.closeConfirm}</span>}
      cancelText={zh.cancel}
      okButtonProps={{ danger: true, loading: busy }}
      onOk={() => void submit()}
      onCancel={() => { setError(null); onClose(); }}
      destroyOnHidden
    >
      <ErrorNotice error={error} testId="close-error" />
      {needsAck && (
        <>
          <Typography.Paragraph type="warning">{zh.recon.closeWarning}</Typography.Paragraph>
          <Checkbox checked={ack} onChange={(e) => setAck(e.target.checked)} data-testid="close-ack">{zh.recon.closeAcknowledge}</Checkbox>
        </>
      )}
      <Input style={{ marginTop: 12 }} placeholder={zh.recon.closeNote} value={note} onChange={(e) => setNote(e.target.value)} data-testid="close-note" />
    </Modal>
  );
}
