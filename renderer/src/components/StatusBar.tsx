// Always visible at the bottom of every workspace: online/offline, the upload queue, the reader,
// the business date. The training banner sits at the top when the sandbox or virtual reader is used.
import { useState } from 'react';
import { Switch, Tag, Tooltip } from 'antd';
import { api } from '../api';
import { useLive } from '../live';
import { zh } from '../strings';

export function StatusBar(): React.JSX.Element {
  const { status, statusError } = useLive();
  if (!status) {
    return (
      <div className="status-bar" data-testid="status-bar">
        <Tooltip title={statusError?.message}>
          <Tag data-testid="status-online">{zh.status.unknown}</Tag>
        </Tooltip>
      </div>
    );
  }
  const { queue, reader } = status;
  const readerText = reader.kind === 'virtual' ? zh.status.readerVirtual
    : reader.kind === 'serial' || reader.kind === 'pcsc' || reader.kind === 'library' ? [reader.model, reader.port].filter(Boolean).join(' @ ') : zh.status.readerNone;
  return (
    <div className="status-bar" data-testid="status-bar">
      <Tooltip title={status.lastContactAt ? `${zh.status.lastContact} ${new Date(status.lastContactAt).toLocaleString('zh-CN')}` : undefined}>
        <Tag color={status.online ? 'green' : 'red'} data-testid="status-online">{status.online ? zh.status.online : zh.status.offline}</Tag>
      </Tooltip>
      <Tag color={queue.pending > 0 ? 'orange' : 'default'} data-testid="status-pending">{zh.status.pending(queue.pending)}</Tag>
      {queue.unknown > 0 && <Tag color="volcano" data-testid="status-unknown">{zh.status.unknownOutcome(queue.unknown)}</Tag>}
      {queue.parked > 0 && <Tag color="red" data-testid="status-parked">{zh.status.parked(queue.parked)}</Tag>}
      {status.ledger?.seat === 'headoffice' ? (
        <Tooltip title={status.ledger.error ?? undefined}>
          <span>
            <Tag color={status.ledger.error ? 'red' : 'blue'} data-testid="status-ledger">{zh.status.headOfficeSeat(status.ledger.chain ?? null)}</Tag>
            <Tag color={status.ledger.reachable ? 'green' : 'red'} data-testid="status-ledger-reachable">{status.ledger.reachable ? zh.status.ledgerReachable : zh.status.ledgerUnreachable}</Tag>
          </span>
        </Tooltip>
      ) : status.ledger && (
        <Tooltip title={status.ledger.error ?? undefined}>
          <Tag color={status.ledger.error ? 'red' : status.ledger.pending > 0 ? 'orange' : 'default'} data-testid="status-ledger">{zh.status.ledgerPending(status.ledger.pending)}</Tag>
        </Tooltip>
      )}
      <span className="status-item">{zh.status.reader}：{readerText}</span>
      <span className="status-item">{zh.status.businessDate}：{status.businessDate}</span>
      <span className="status-item">{status.institution.name}</span>
      <span className="status-item" data-testid="status-edition">{zh.status.edition}：{status.edition.name}</span>
      <span className="status-item">{zh.status.terminal} {status.terminalId}</span>
    </div>
  );
}

export function TrainingBanner(): React.JSX.Element | null {
  const { status, refreshStatus } = useLive();
  const [busy, setBusy] = useState(false);
  if (!status || (!status.training.sandboxCentre && !status.training.virtualReader)) return null;
  // Practising the offline flow: the sandbox centre can be "unplugged" from here (training only).
  const setOnline = async (online: boolean): Promise<void> => {
    setBusy(true);
    try { await api.setTrainingCentreOnline(online); } catch { /* the status bar shows the result either way */ }
    await refreshStatus();
    setBusy(false);
  };
  return (
    <div className="training-banner" data-testid="training-banner" role="alert">
      <span>{zh.status.trainingBanner}（{zh.status.trainingParts(status.training.sandboxCentre, status.training.virtualReader)}）</span>
      {status.training.sandboxCentre && (
        <label className="training-switch">
          <Switch size="small" checked={status.online} loading={busy} onChange={(on) => void setOnline(on)} data-testid="training-centre-online" />
          {zh.status.trainingCentreOnline}
        </label>
      )}
    </div>
  );
}
