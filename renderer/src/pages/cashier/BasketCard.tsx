// ③ The basket: scan an item (F6), type its name, quantity and price, scan one 追溯码 per box, Enter
// on an empty code field adds the line. Amounts and catalogue classes shown are the backend's.
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { Button, Card, Checkbox, Input, type InputRef, Select, Table, Tag } from 'antd';
import { type z } from 'zod';
import { BasketLineRequest, type SaleView } from '../../../../core/contracts/checkout';
import { Amount } from '../../components/Amount';
import { KeyButton } from '../../components/KeyButton';
import { zh } from '../../strings';

export type LineDraft = z.input<typeof BasketLineRequest>;
type LineView = SaleView['lines'][number];
type Kind = NonNullable<LineDraft['kind']>;

export interface BasketCardHandle {
  focus(): void;
}

interface Props {
  lines: LineView[];
  disabled: boolean;
  busy: boolean;
  onAdd(line: LineDraft): void;
  onRemove(index: number): void;
  onInvalid(message: string, field: string): void;
}

const STEPS = ['sku', 'name', 'qty', 'price', 'trace'] as const;
type Step = (typeof STEPS)[number];
const EMPTY = { sku: '', name: '', qty: '1', price: '', trace: '' };

export const BasketCard = forwardRef<BasketCardHandle, Props>(function BasketCard({ lines, disabled, busy, onAdd, onRemove, onInvalid }, ref) {
  const [entry, setEntry] = useState<Record<Step, string>>(EMPTY);
  const [kind, setKind] = useState<Kind>('drug');
  const [split, setSplit] = useState(false);
  const [traceCodes, setTraceCodes] = useState<string[]>([]);
  const refs = useRef<Partial<Record<Step, InputRef | null>>>({});
  useImperativeHandle(ref, () => ({ focus: () => refs.current.sku?.focus() }), []);

  const add = (): void => {
    const parsed = BasketLineRequest.safeParse({ sku: entry.sku, name: entry.name, qty: entry.qty, price: entry.price, split, traceCodes, kind });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'sku');
      onInvalid(issue.message, field);
      refs.current[(field === 'traceCodes' ? 'trace' : field) as Step]?.focus();
      return;
    }
    onAdd(parsed.data);
    setEntry(EMPTY);
    setTraceCodes([]);
    setSplit(false);
    setKind('drug');
    refs.current.sku?.focus();
  };

  const enter = (step: Step): void => {
    if (step === 'trace') {
      const code = entry.trace.trim();
      if (code) { setTraceCodes((codes) => [...codes, code]); setEntry((e) => ({ ...e, trace: '' })); } else add();
      return;
    }
    refs.current[STEPS[STEPS.indexOf(step) + 1]!]?.focus();
  };

  const field = (step: Step, placeholder: string): React.JSX.Element => (
    <Input
      aria-label={placeholder}
      title={placeholder}
      ref={(el) => { refs.current[step] = el; }}
      data-testid={`line-${step}`}
      disabled={disabled}
      placeholder={placeholder}
      value={entry[step]}
      onChange={(e) => setEntry((v) => ({ ...v, [step]: e.target.value }))}
      onPressEnter={() => enter(step)}
      onFocus={(e) => e.target.select()}
    />
  );

  return (
    <Card size="small" title={zh.checkout.basketTitle} data-testid="basket-card"
      extra={<KeyButton hotkey="F6" size="small" disabled={disabled} onClick={() => refs.current.sku?.focus()}>{zh.checkout.scanItem}</KeyButton>}>
      <div className="scan-row">
        {field('sku', zh.checkout.skuPlaceholder)}
        {field('name', zh.checkout.name)}
        {field('qty', zh.checkout.qty)}
        {field('price', zh.checkout.price)}
        <div>
          <Select<Kind> style={{ width: '100%' }} aria-label={zh.checkout.kind} disabled={disabled} value={kind} onChange={setKind}
            options={(['drug', 'device', 'consumable', 'other'] as const).map((k) => ({ value: k, label: zh.checkout.kinds[k] }))} />
        </div>
        <div style={{ paddingTop: 4 }}><Checkbox disabled={disabled} checked={split} onChange={(e) => setSplit(e.target.checked)}>{zh.checkout.split}</Checkbox></div>
      </div>
      <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
        <div style={{ flex: 1 }}>{field('trace', zh.checkout.tracePlaceholder)}</div>
        <KeyButton hotkey="Enter" type="primary" loading={busy} disabled={disabled} onClick={add} data-testid="line-add">{zh.checkout.addLine}</KeyButton>
      </div>
      {traceCodes.length > 0 && (
        <div className="trace-chips" data-testid="trace-chips">
          {traceCodes.map((c, i) => (
            <Tag key={`${c}-${i}`} closable onClose={() => setTraceCodes((codes) => codes.filter((_, j) => j !== i))} className="mono">{c}</Tag>
          ))}
        </div>
      )}
        <Table<LineView & { key: number }>
        style={{ marginTop: 8 }}
        size="small"
        pagination={false}
        dataSource={lines.map((l, key) => ({ ...l, key }))}
        data-testid="basket-lines"
        locale={{ emptyText: zh.checkout.emptyBasket }}
        columns={[
          { title: zh.checkout.sku, dataIndex: 'sku', width: 110 },
          {
            title: zh.checkout.name, key: 'name', render: (_, l) => (
              <>
                {l.name}{' '}
                {l.listClass && <Tag color={l.listClass === 'A' ? 'green' : l.listClass === 'B' ? 'blue' : 'default'}>{zh.checkout.listClass(l.listClass)}</Tag>}
                {l.split && <Tag>{zh.checkout.split}</Tag>}
                {l.flags.map((f) => <Tag key={f} color="orange">{zh.checkout.flags[f] ?? f}</Tag>)}
              </>
            ),
          },
          { title: zh.checkout.qty, dataIndex: 'qty', width: 60, align: 'right' },
          { title: zh.checkout.price, key: 'price', width: 90, align: 'right', render: (_, l) => <Amount value={l.price} /> },
          { title: zh.checkout.amount, key: 'amount', width: 100, align: 'right', render: (_, l) => <Amount value={l.amount} /> },
          { title: zh.checkout.traceCodes, key: 'trace', width: 70, align: 'right', render: (_, l) => l.traceCodes.length },
          {
            title: '', key: 'remove', width: 60,
            render: (_, l) => <Button size="small" type="link" danger disabled={disabled} onClick={() => onRemove(l.key)}>{zh.checkout.removeLine}</Button>,
          },
        ]}
      />
    </Card>
  );
});
