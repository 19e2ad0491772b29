// ① Who is buying: identify by card (F1), e-voucher scan (F2) or typed ID number (F3); then the holder.
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { Alert, Card, Descriptions, Input, type InputRef, Space, Tag, Typography } from 'antd';
import { type IdentifyRequest, type PersonView } from '../../../../core/contracts/checkout';
import { Amount } from '../../components/Amount';
import { TrainingCardPicker } from '../../components/TrainingCardPicker';
import { KeyButton } from '../../components/KeyButton';
import { zh } from '../../strings';

export type IdentifyMode = 'voucher' | 'idNumber' | null;

export interface HolderCardHandle {
  openMode(mode: 'voucher' | 'idNumber'): void;
}

interface Props {
  person: PersonView | null;
  busy: boolean;
  /** The virtual (training) reader is in use: offer the training cards to insert. */
  virtualReader: boolean;
  /** The reader reported a card (live 'card' event). */
  cardPresent: boolean;
  /** A sale is in progress: identifying again is not offered until it is finished (Esc). */
  locked: boolean;
  onIdentify(request: IdentifyRequest): void;
}

export const HolderCard = forwardRef<HolderCardHandle, Props>(function HolderCard({ person, busy, locked, virtualReader, cardPresent, onIdentify }, ref) {
  const [mode, setMode] = useState<IdentifyMode>(null);
  const [text, setText] = useState('');
  const input = useRef<InputRef>(null);

  // Render the input and focus it before the key handler returns: a scanner (or a quick typist)
  // sends the next characters at once, and none may land outside the field.
  const open = (next: 'voucher' | 'idNumber'): void => {
    flushSync(() => { setMode(next); setText(''); });
    input.current?.focus();
  };
  useImperativeHandle(ref, () => ({ openMode: open }), []);

  const submit = (): void => {
    const value = text.trim();
    if (!value) return;
    onIdentify(mode === 'voucher' ? { method: 'voucher', token: value } : { method: 'idNumber', idNumber: value.toUpperCase() });
    setText('');
    setMode(null);
  };

  return (
    <Card size="small" title={zh.checkout.identifyTitle} data-testid="holder-card">
      {!person && (
        <>
          <Space wrap style={{ marginBottom: 8 }}>
            <KeyButton hotkey="F1" type="primary" loading={busy} disabled={locked} onClick={() => onIdentify({ method: 'card' })} data-testid="identify-card">{zh.checkout.readCard}</KeyButton>
            <KeyButton hotkey="F2" disabled={locked} onClick={() => open('voucher')}>{zh.checkout.voucher}</KeyButton>
            <KeyButton hotkey="F3" disabled={locked} onClick={() => open('idNumber')} data-testid="identify-id">{zh.checkout.idNumber}</KeyButton>
          </Space>
          {mode && (
            <Input
              ref={input}
              size="large"
              data-testid="identify-input"
              placeholder={mode === 'voucher' ? zh.checkout.voucherPlaceholder : zh.checkout.idNumberPlaceholder}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onPressEnter={submit}
              onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setMode(null); } }}
            />
          )}
          {!mode && (cardPresent
            ? <Alert type="success" showIcon title={zh.checkout.cardPresent} data-testid="card-present" />
            : <div><Typography.Text type="secondary">{zh.checkout.waitForCard}</Typography.Text></div>)}
          {virtualReader && <TrainingCardPicker />}
        </>
      )}
      {person && <HolderDetails person={person} />}
    </Card>
  );
});

function HolderDetails({ person }: { person: PersonView }): React.JSX.Element {
  return (
    <>
      <Space align="center" wrap style={{ marginBottom: 6 }}>
        <Typography.Text strong style={{ fontSize: 22 }} data-testid="holder-name">{person.name}</Typography.Text>
        <Tag>{person.status === 'retired' ? zh.checkout.retired : zh.checkout.active}</Tag>
        {person.hospitalized && <Tag color="red">{zh.checkout.hospitalized}</Tag>}
        {person.suspended && <Tag color="red">{zh.checkout.suspended}</Tag>}
        <Tag color={person.source === 'centre' ? 'green' : 'orange'} data-testid="holder-source">
          {person.source === 'centre' ? zh.checkout.fromCentre : zh.checkout.fromCache(person.asOf.slice(0, 10), person.ageDays)}
        </Tag>
      </Space>
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'id', label: zh.checkout.idMasked, children: <span className="mono">{person.idNumberMasked}</span> },
          { key: 'insutype', label: zh.checkout.insutype, children: zh.insutype(person.insutype) },
          { key: 'region', label: zh.checkout.region, children: person.regionName ?? person.region },
          { key: 'balance', label: zh.checkout.balance, children: <Amount value={person.balance} testId="holder-balance" /> },
          { key: 'deductible', label: zh.checkout.deductibleMet, children: <Amount value={person.year.deductibleMet} testId="holder-deductible-met" /> },
          { key: 'fund', label: zh.checkout.yearFund, children: <Amount value={person.year.fundPaid} testId="holder-fund-paid" /> },
          { key: 'cap', label: zh.checkout.capLeft, children: person.year.capLeft === null ? zh.checkout.capUnknown : <Amount value={person.year.capLeft} testId="holder-cap-left" /> },
        ]}
      />
      <Typography.Text type={person.year.source === 'centre' ? 'secondary' : 'warning'} data-testid="holder-year-source">
        {person.year.source === 'centre' && person.year.readAt
          ? zh.checkout.yearFromCentre(new Date(person.year.readAt).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }))
          : zh.checkout.yearFromStore}
      </Typography.Text>
    </>
  );
}
