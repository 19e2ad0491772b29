// ② The external prescription (外配处方): an e-prescription's QR scanned into the scan field (the 2D
// scanner types the text and Enter, like a keyboard), or a paper one typed field by field (Enter
// moves on); then the issuer's level, designation and validity as the backend judged them.
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { Alert, Button, Card, Input, type InputRef, Select, Space, Tag, Typography } from 'antd';
import { PrescriptionRequest, ScannedPrescriptionRequest, type SaleView } from '../../../../core/contracts/checkout';
import { api } from '../../api';
import { KeyButton } from '../../components/KeyButton';
import { useLoad } from '../../hooks/useLoad';
import { zh } from '../../strings';

type Rx = NonNullable<SaleView['prescription']>;

export interface PrescriptionCardHandle {
  focus(): void;
}

interface Props {
  prescription: Rx | null;
  today: string;
  disabled: boolean;
  busy: boolean;
  onSubmit(request: PrescriptionRequest): void;
  onScan(request: ScannedPrescriptionRequest): void;
  /** Look the patient's e-prescription up by the credential read at identify, and download it. */
  onLookup(): void;
  /** The pharmacist's 审方 of a downloaded e-prescription (7204). */
  /** recheckOperatorId: the 复核药师 picked (null = none), undefined = the store's default. */
  onReview(approved: boolean, opinion: string, recheckOperatorId?: string | null): void;
  onInvalid(message: string, field: string): void;
}

const FIELDS = ['issuerCode', 'rxNo', 'issuedOn', 'prescriber', 'prescriberCode', 'items'] as const;
type Field = (typeof FIELDS)[number];

export const PrescriptionCard = forwardRef<PrescriptionCardHandle, Props>(function PrescriptionCard({ prescription, today, disabled, busy, onSubmit, onScan, onLookup, onReview, onInvalid }, ref) {
  const [values, setValues] = useState<Record<Field, string>>({ issuerCode: '', rxNo: '', issuedOn: '', prescriber: '', prescriberCode: '', items: '' });
  const [scanned, setScanned] = useState('');
  const refs = useRef<Partial<Record<Field, InputRef | null>>>({});
  const scanRef = useRef<InputRef | null>(null);
  useImperativeHandle(ref, () => ({ focus: () => refs.current.issuerCode?.focus() }), []);

  /** Enter after a scan: the QR goes to the backend as it is; the field is cleared for the next scan. */
  const submitScan = (): void => {
    const parsed = ScannedPrescriptionRequest.safeParse({ scanned });
    setScanned('');
    if (!parsed.success) {
      onInvalid(parsed.error.issues[0]!.message, 'scanned');
      scanRef.current?.focus();
      return;
    }
    onScan(parsed.data);
  };

  const submit = (): void => {
    const parsed = PrescriptionRequest.safeParse({
      issuerCode: values.issuerCode, rxNo: values.rxNo, issuedOn: values.issuedOn || today, prescriber: values.prescriber,
      ...(values.prescriberCode.trim() && { prescriberCode: values.prescriberCode }),
      items: values.items.split(/[\s,，;；]+/).filter(Boolean),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'issuerCode');
      onInvalid(issue.message, field);
      refs.current[field as Field]?.focus();
      return;
    }
    onSubmit(parsed.data);
  };

  const next = (field: Field): void => {
    const i = FIELDS.indexOf(field);
    if (i === FIELDS.length - 1) submit();
    else refs.current[FIELDS[i + 1]!]?.focus();
  };

  const input = (field: Field, label: string, width: number | string, type?: string): React.JSX.Element => (
    <Input
      key={field}
      ref={(el) => { refs.current[field] = el; }}
      data-testid={`rx-${field}`}
      aria-label={label}
      title={label}
      style={{ width }}
      disabled={disabled}
      type={type}
      placeholder={label}
      value={field === 'issuedOn' ? values.issuedOn || today : values[field]}
      onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
      onPressEnter={() => next(field)}
    />
  );

  return (
    <Card
      size="small"
      title={zh.checkout.rxTitle}
      data-testid="rx-card"
      extra={<KeyButton hotkey="F4" size="small" disabled={disabled} onClick={() => refs.current.issuerCode?.focus()}>{zh.checkout.rxEnter}</KeyButton>}
    >
      <Input
        ref={scanRef}
        data-testid="rx-scan"
        aria-label={zh.checkout.rxScan}
        title={zh.checkout.rxScan}
        placeholder={zh.checkout.rxScan}
        disabled={disabled}
        autoComplete="off"
        value={scanned}
        onChange={(e) => setScanned(e.target.value)}
        onPressEnter={submitScan}
        style={{ marginBottom: 6 }}
      />
      <Button size="small" disabled={disabled} loading={busy} onClick={onLookup} data-testid="rx-lookup" title={zh.checkout.rxLookupHint} style={{ marginBottom: 6 }}>
        {zh.checkout.rxLookup}
      </Button>
      <br />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{zh.checkout.rxScanOr}</Typography.Text>
      <div style={{ display: 'flex', gap: 6 }}>
        {input('issuerCode', zh.checkout.rxIssuer, 150)}
        {input('rxNo', zh.checkout.rxNo, 100)}
        {input('issuedOn', zh.checkout.rxDate, 140, 'date')}
        {input('prescriber', zh.checkout.rxPrescriber, 90)}
        {input('prescriberCode', zh.checkout.rxPrescriberCode, 130)}
        {input('items', zh.checkout.rxItems, 'auto')}
        <KeyButton hotkey="Enter" loading={busy} disabled={disabled} onClick={submit} data-testid="rx-submit">{zh.checkout.rxSubmit}</KeyButton>
      </div>
      {prescription && <PrescriptionResult rx={prescription} disabled={disabled} busy={busy} onReview={onReview} />}
    </Card>
  );
});

function PrescriptionResult({ rx, disabled, busy, onReview }: { rx: Rx; disabled: boolean; busy: boolean; onReview: Props['onReview'] }): React.JSX.Element {
  const [opinion, setOpinion] = useState<string>(zh.checkout.rxReviewDefault);
  // 复核药师: among operators with a pharmacist setting, defaulting to the store's (ID numbers come masked).
  const pharmacists = useLoad(() => (rx.review !== undefined ? api.pharmacists() : Promise.resolve([])), [rx.review !== undefined]);
  const [recheck, setRecheck] = useState<string | undefined>(undefined);
  const recheckDefault = (pharmacists.data ?? []).find((p) => p.recheckDefault)?.operatorId ?? '';
  const recheckValue = recheck ?? recheckDefault;
  const review = (approved: boolean): void => onReview(approved, opinion, recheck === undefined ? undefined : recheck === '' ? null : recheck);
  return (
    <div data-testid="rx-result" style={{ marginTop: 8 }}>
      <Space wrap>
        <Tag color={rx.valid ? 'green' : 'red'} data-testid="rx-valid">{rx.valid ? zh.checkout.rxValid : zh.checkout.rxInvalid}</Tag>
        <Tag data-testid="rx-source">{rx.source === 'scanned' ? zh.checkout.rxScanned : zh.checkout.rxPaper}</Tag>
        {rx.issuer ? (
          <>
            <Typography.Text strong>{rx.issuer.name}</Typography.Text>
            <Tag color="blue" data-testid="rx-level">{zh.checkout.rxLevel(rx.issuer.level)}</Tag>
            <Tag color={rx.issuer.designated ? 'green' : 'red'}>{rx.issuer.designated ? zh.checkout.rxDesignated : zh.checkout.rxNotDesignated}</Tag>
          </>
        ) : <Tag color="red">{zh.checkout.rxIssuerUnknown}</Tag>}
        <Typography.Text data-testid="rx-valid-until">{zh.checkout.rxValidUntil(rx.validUntil)}</Typography.Text>
      </Space>
      {rx.review !== undefined && (
        <Space wrap style={{ marginTop: 6 }} data-testid="rx-review">
          <Tag color={rx.review === null ? 'orange' : rx.review.approved ? 'green' : 'red'} data-testid="rx-review-state">
            {rx.review === null ? zh.checkout.rxReviewNone : rx.review.approved
              ? (rx.review.recheckPharmacist ? zh.checkout.rxReviewPassedWith(rx.review.pharmacist, rx.review.recheckPharmacist) : zh.checkout.rxReviewPassed(rx.review.pharmacist))
              : zh.checkout.rxReviewFailed(rx.review.opinion)}
          </Tag>
          <Input size="small" style={{ width: 200 }} aria-label={zh.checkout.rxReviewOpinion} placeholder={zh.checkout.rxReviewOpinion} disabled={disabled}
            data-testid="rx-review-opinion" value={opinion} onChange={(e) => setOpinion(e.target.value)} />
          <Select size="small" style={{ width: 180 }} aria-label={zh.checkout.rxRecheck} disabled={disabled} data-testid="rx-review-recheck"
            value={recheckValue} onChange={(v: string) => setRecheck(v)}
            options={[{ value: '', label: zh.checkout.rxRecheckNone }, ...(pharmacists.data ?? []).map((p) => ({ value: p.operatorId, label: `${zh.checkout.rxRecheck}：${p.name}（${p.operatorId}）` }))]} />
          <Button size="small" type="primary" disabled={disabled} loading={busy} data-testid="rx-review-approve" onClick={() => review(true)}>{zh.checkout.rxReviewApprove}</Button>
          <Button size="small" danger disabled={disabled} loading={busy} data-testid="rx-review-refuse" onClick={() => review(false)}>{zh.checkout.rxReviewRefuse}</Button>
        </Space>
      )}
      {rx.problems.map((p) => <Alert key={p.code} type="warning" showIcon title={p.message} style={{ marginTop: 6 }} />)}
    </div>
  );
}
