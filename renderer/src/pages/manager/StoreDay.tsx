// The store's day over the store ledger (a pharmacy with several tills): shown on the manager's
// 日结对账 page instead of the till's own day when this till has a ledger configured. Totals over all
// tills, the tills still awaited, the 3201 groups, the discrepancies naming till and sale with their
// resolutions (carried out by the owning till: 等待收银台 T2, then the result), and the store's close.
// Every figure and every refusal is the backend's (/api/store-ledger/*).
import { useEffect, useState } from 'react';
import { App, Button, Card, Checkbox, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { type StoreDayView } from '../../../../core/contracts/ledger';
import { type Totals } from '../../../../core/contracts/reconciliation';
import { api, type ApiError } from '../../api';
import { Amount } from '../../components/Amount';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PrintPreviewModal } from '../../components/Receipt';
import { shell } from '../../shell';
import { asApiError, useLoad } from '../../hooks/useLoad';
import { useAction } from '../../hooks/useAction';
import { zh } from '../../strings';
import { GroupsTable } from './DayClose';
import { StoreDiscrepancyTable } from './StoreDiscrepancyTable';

/** While a resolution waits for its till, the day is read again this often (the result shows by itself). */
const PENDING_POLL_MS = 3_000;

const when = (iso: string): string => new Date(iso).toLocaleString('zh-CN', { hour12: false });

/** Why closing needs an acknowledgement, as far as the view knows (the close itself checks again). */
function closeBlockers(day: StoreDayView, withResult = true): string[] {
  const reasons: string[] = [];
  if (withResult && day.result !== 'balanced') reasons.push(zh.recon.centreResult(zh.recon.checkResult[day.result]));
  const open = day.discrepancies.filter((d) => d.status === 'open').length;
  if (open > 0) reasons.push(zh.recon.openDiscrepancies(open));
  const awaited = day.tills.filter((t) => t.pending > 0).map((t) => t.tillId);
  if (awaited.length > 0) reasons.push(zh.storeDay.awaited(awaited.join('、')));
  const waiting = day.discrepancies.filter((d) => d.request?.status === 'pending' || d.request?.status === 'running');
  const resolving = [...new Set(waiting.map((d) => d.request!.tillId))];
  if (resolving.length > 0) reasons.push(zh.storeDay.resolving(resolving.join('、')));
  // The close withdraws them (a closed day never changes): said before, with how many.
  const pending = waiting.filter((d) => d.request!.status === 'pending').length;
  if (pending > 0) reasons.push(zh.storeDay.willWithdraw(pending));
  return reasons;
}

/** `fallback`: the till's own day, shown when the backend says it has no usable ledger after all (NO_LEDGER: a connection string it could not parse). */
export function StoreDay({ tillId, businessDate, fallback }: { tillId: string; businessDate: string; fallback: React.JSX.Element }): React.JSX.Element {
  const [picked, setPicked] = useState('');
  const date = picked || businessDate;
  const day = useLoad(() => (date ? api.storeDay(date) : Promise.resolve(undefined)), [date]);
  const [view, setView] = useState<StoreDayView | undefined>();
  const shown = view?.date === date ? view : day.data;
  const [error, setError] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);
  const [closing, setClosing] = useState(false);
  const [report, setReport] = useState<string | null>(null);
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);
  const { message } = App.useApp();
  const exportDay = async (format: 'xlsx' | 'csv'): Promise<void> => {
    setExporting(format);
    setError(null);
    try {
      const file = await api.storeExportFile(date, date, format);
      if ((await shell.saveFile(file.name, file.blob)).saved) void message.success(zh.recon.exported(file.name));
    } catch (e) { setError(asApiError(e)); } finally { setExporting(null); }
  };

  const check = async (): Promise<void> => {
    setChecking(true);
    setError(null);
    try { setView(await api.checkStoreDay(date)); } catch (e) { setError(asApiError(e)); } finally { setChecking(false); }
  };
  const refresh = async (): Promise<void> => {
    setError(null);
    try { setView(await api.storeDay(date)); } catch (e) { setError(asApiError(e)); }
  };
  const open = shown !== undefined && shown.state === 'open';
  const waiting = open && shown.discrepancies.some((d) => d.request?.status === 'pending' || d.request?.status === 'running');
  useEffect(() => {
    if (!waiting) return undefined;
    const timer = setTimeout(() => { api.storeDay(date).then(setView, () => undefined); }, PENDING_POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, shown, date]);

  if (day.error?.code === 'NO_LEDGER') return fallback;
  return (
    <Card
      title={zh.storeDay.title}
      data-testid="store-day"
      extra={(
        <Space wrap>
          <span>{zh.recon.date}</span>
          <Input type="date" value={date} onChange={(e) => { setView(undefined); setPicked(e.target.value); }} style={{ width: 160 }} data-testid="day-date" />
          <Button onClick={() => void refresh()} data-testid="store-day-refresh">{zh.refresh}</Button>
          <Button type="primary" loading={checking} disabled={!open} onClick={() => void check()} data-testid="check-day">{zh.storeDay.check}</Button>
          <Button danger disabled={!open} onClick={() => setClosing(true)} data-testid="close-day">{zh.storeDay.close}</Button>
          {shown && <Tag color="blue" data-testid="store-scope">{zh.storeDay.scope(shown.tills.length)}</Tag>}
          <Button disabled={!shown} onClick={() => setReport(date)} data-testid="day-report">{zh.recon.report}</Button>
          <Button loading={exporting === 'xlsx'} disabled={!shown} onClick={() => void exportDay('xlsx')} data-testid="export-xlsx">{zh.recon.exportXlsx}</Button>
          <Button loading={exporting === 'csv'} disabled={!shown} onClick={() => void exportDay('csv')} data-testid="export-csv">{zh.recon.exportCsv}</Button>
        </Space>
      )}
    >
      <Typography.Paragraph type="secondary">{zh.storeDay.hint(tillId)}</Typography.Paragraph>
      <ErrorNotice error={day.error ?? error} onClose={() => setError(null)} />
      {shown && <StoreSummary day={shown} />}
      {shown && (
        <Tabs
          items={[
            {
              key: 'discrepancies', label: zh.recon.tabDiscrepancies(shown.discrepancies.length),
              children: <StoreDiscrepancyTable discrepancies={shown.discrepancies} readOnly={!open} onResolved={setView} />,
            },
            { key: 'tills', label: zh.storeDay.tills, children: <TillsTable day={shown} self={tillId} /> },
            { key: 'groups', label: zh.recon.tabGroups, children: <GroupsTable groups={shown.groups} /> },
          ]}
        />
      )}
      <StoreCloseModal
        open={closing} day={shown} onClose={() => setClosing(false)} onRefused={() => void refresh()}
        onClosed={(v) => { setClosing(false); setView(v); void message.success(zh.recon.closedOk); }}
      />
      <PrintPreviewModal target={report} title={zh.storeDay.reportTitle} load={api.storeDayReportHtml} onClose={() => setReport(null)} width={900} />
    </Card>
  );
}

function StoreSummary({ day }: { day: StoreDayView }): React.JSX.Element {
  const blockers = day.state === 'open' ? closeBlockers(day, false) : [];
  return (
    <div data-testid="day-summary" style={{ marginBottom: 12 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Tag color={day.state === 'closed' ? 'blue' : 'default'} data-testid="day-state">
          {day.closed ? zh.storeDay.closedBy(when(day.closed.at), day.closed.by, day.closed.fromTill) : zh.recon.dayOpen}
        </Tag>
        <Tag color={day.result === 'balanced' ? 'green' : day.result === 'unbalanced' ? 'red' : 'default'} data-testid="day-check-result">
          {zh.storeDay.result(zh.recon.checkResult[day.result])}
        </Tag>
        {blockers.map((b) => <Tag key={b} color="orange" data-testid="day-blocker">{b}</Tag>)}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="day-message">{day.message}</Typography.Paragraph>
      <StoreTotals totals={day.totals} />
    </div>
  );
}

function StoreTotals({ totals }: { totals: StoreDayView['totals'] }): React.JSX.Element {
  const rows: Array<{ key: string; label: string; t: Totals }> = [
    { key: 'confirmed', label: zh.recon.totalsConfirmed, t: totals.confirmed },
    { key: 'provisional', label: zh.recon.totalsProvisional, t: totals.provisional },
    { key: 'all', label: zh.recon.totalsAll, t: totals.all },
  ];
  return (
    <Table
      size="small" pagination={false} dataSource={rows} data-testid="day-totals"
      onRow={(r) => ({ 'data-testid': `totals-${r.key}` } as React.HTMLAttributes<HTMLElement>)}
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

type TillRow = StoreDayView['tills'][number];

function TillsTable({ day, self }: { day: StoreDayView; self: string }): React.JSX.Element {
  return (
    <Table<TillRow>
      size="small" rowKey="tillId" pagination={false} dataSource={day.tills} data-testid="store-tills"
      onRow={(t) => ({ 'data-testid': `store-till-${t.tillId}` } as React.HTMLAttributes<HTMLElement>)}
      columns={[
        { title: zh.storeDay.till, key: 'till', render: (_, t) => (t.tillId === self ? `${t.tillId}（本机）` : t.tillId) },
        { title: zh.storeDay.tillSales, key: 'sales', align: 'right', render: (_, t) => t.sales },
        { title: zh.storeDay.tillPending, key: 'pending', render: (_, t) => (t.pending > 0 ? <Tag color="orange">{zh.storeDay.tillAwaited(t.pending)}</Tag> : <Tag>{zh.storeDay.tillUpToDate}</Tag>) },
        { title: zh.storeDay.tillLastPush, key: 'last', render: (_, t) => (t.lastPushAt ? when(t.lastPushAt) : zh.storeDay.neverPushed) },
      ]}
    />
  );
}

/**
 * The store's close. What the view knows to be unsettled is listed and needs the acknowledgement; the
 * backend checks again as it closes, and a refusal (naming the till awaited or the till that has a
 * resolution to carry out) is shown as it is, with the acknowledgement offered.
 */
function StoreCloseModal({ open, day, onClose, onClosed, onRefused }: { open: boolean; day: StoreDayView | undefined; onClose: () => void; onClosed: (v: StoreDayView) => void; onRefused: () => void }): React.JSX.Element {
  const [ack, setAck] = useState(false);
  const [note, setNote] = useState('');
  const [refused, setRefused] = useState(false);
  const { busy, error, setError, run } = useAction();
  const blockers = day ? closeBlockers(day) : [];
  const needsAck = refused || blockers.length > 0;
  const submit = async (): Promise<void> => {
    if (!day) return;
    await run(async () => {
      try {
        onClosed(await api.closeStoreDay(day.date, ack, note.trim()));
      } catch (e) {
        const failure = asApiError(e);
        if (failure.code === 'DAY_NOT_BALANCED') { setRefused(true); onRefused(); }
        throw failure;
      }
      setAck(false);
      setNote('');
      setRefused(false);
    });
  };
  return (
    <Modal
      open={open}
      title={day ? zh.storeDay.closeTitle(day.date) : ''}
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
          <Typography.Paragraph type="warning">{zh.storeDay.closeWarning}</Typography.Paragraph>
          {blockers.length > 0 && <ul data-testid="close-blockers">{blockers.map((b) => <li key={b}>{b}</li>)}</ul>}
          <Checkbox checked={ack} onChange={(e) => setAck(e.target.checked)} data-testid="close-ack">{zh.recon.closeAcknowledge}</Checkbox>
        </>
      )}
      <Input style={{ marginTop: 12 }} placeholder={zh.recon.closeNote} value={note} onChange={(e) => setNote(e.target.value)} data-testid="close-note" />
    </Modal>
  );
}
