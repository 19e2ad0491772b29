// ④ Who pays what: the pooled fund, the personal account and cash, each as the backend computed it,
// with its explanation; 暂估 while the centre has not confirmed the split; after sync, the difference.
import { Alert, Card, Switch, Typography } from 'antd';
import { type SaleView } from '../../../../core/contracts/checkout';
import { Amount } from '../../components/Amount';
import { KeyButton } from '../../components/KeyButton';
import { isProvisional, ProvisionalTag } from '../../components/SaleTags';
import { zh } from '../../strings';

interface Props {
  sale: SaleView | null;
  useAccount: boolean;
  busy: string | null;
  onToggleAccount(): void;
  onPresettle(): void;
  onSettle(): void;
  onPrint(): void;
  onNewSale(): void;
  onToday(): void;
}

export const DONE_STATES: ReadonlySet<string> = new Set(['settled', 'provisional', 'selfpay', 'refunded', 'cancelled']);

export function SplitCard({ sale, useAccount, busy, onToggleAccount, onPresettle, onSettle, onPrint, onNewSale, onToday }: Props): React.JSX.Element {
  const split = sale?.split ?? null;
  const done = sale !== null && DONE_STATES.has(sale.state);
  const canPresettle = sale !== null && !done && sale.lines.length > 0;
  const canSettle = canPresettle && sale.state === 'presettled' && split !== null;
  return (
    <>
      <Card
        size="small"
        className="split-card"
        data-testid="split-card"
        title={<span>{zh.checkout.splitTitle} {sale && isProvisional(sale) && <ProvisionalTag />}</span>}
        extra={(
          <label style={{ whiteSpace: 'nowrap' }}>
            <Switch size="small" checked={useAccount} disabled={done} onChange={onToggleAccount} data-testid="use-account" /> {zh.checkout.useAccount}<kbd className="key-hint">F5</kbd>
          </label>
        )}
      >
        {done && <DoneBanner sale={sale} />}
        {!split && !done && <Typography.Text type="secondary">{zh.checkout.notPresettled}</Typography.Text>}
        {split && (
          <>
            <div className="split-row"><span className="split-label">{zh.checkout.total}</span><Amount size="large" value={split.total} testId="split-total" /></div>
            <div className="split-row"><span className="split-label">{zh.checkout.fund}</span><Amount size="large" value={split.fund} testId="split-fund" /></div>
            <div className="split-row"><span className="split-label">{zh.checkout.account}</span><Amount size="large" value={split.account} testId="split-account" /></div>
            <div className="cash-due">
              <div className="split-label">{zh.checkout.cash}</div>
              <Amount size="huge" value={split.cash} testId="split-cash" />
            </div>
            {sale && isProvisional(sale) && !sale.centre && <Alert type="warning" showIcon title={zh.checkout.provisionalHint} style={{ marginBottom: 8 }} />}
            {sale?.centre?.difference && <Difference sale={sale} />}
            <Typography.Text strong>{zh.checkout.explain}</Typography.Text>
            <ul className="explain-list" data-testid="split-explain">
              {[...split.explain, ...split.reasons].map((line, i) => <li key={i}>{line}</li>)}
            </ul>
          </>
        )}
      </Card>
      <div className="action-grid">
        <KeyButton hotkey="F7" disabled={!canPresettle} loading={busy === 'presettle'} onClick={onPresettle} data-testid="presettle">{zh.checkout.presettle}</KeyButton>
        <KeyButton hotkey="F8" type="primary" disabled={!canSettle} loading={busy === 'settle'} onClick={onSettle} data-testid="settle">{zh.checkout.settle}</KeyButton>
        <KeyButton hotkey="F9" disabled={!done || sale?.state === 'cancelled'} onClick={onPrint} data-testid="print">{zh.checkout.print}</KeyButton>
        <KeyButton hotkey="F10" onClick={onToday} data-testid="to-today">{zh.nav.today}</KeyButton>
        <KeyButton hotkey="Escape" onClick={onNewSale} data-testid="new-sale" style={{ gridColumn: 'span 2' }}>{zh.checkout.newSale}</KeyButton>
      </div>
    </>
  );
}

function DoneBanner({ sale }: { sale: SaleView }): React.JSX.Element {
  const title = sale.state === 'provisional' ? zh.checkout.provisionalTitle : sale.state === 'selfpay' ? zh.checkout.selfpayTitle : zh.checkout.settledTitle;
  return (
    <Alert
      type={sale.state === 'provisional' ? 'warning' : 'success'}
      showIcon
      title={<span className="done-title" data-testid="settled-title">{title}</span>}
      description={zh.checkout.nextSaleHint}
      style={{ marginBottom: 8 }}
    />
  );
}

export function Difference({ sale }: { sale: SaleView }): React.JSX.Element | null {
  const d = sale.centre?.difference;
  if (!d) return null;
  return (
    <Alert
      type="info"
      showIcon
      data-testid="centre-difference"
      title={zh.today.difference}
      description={zh.today.differenceText(d.fund, d.account, d.cash)}
      style={{ marginBottom: 8 }}
    />
  );
}
