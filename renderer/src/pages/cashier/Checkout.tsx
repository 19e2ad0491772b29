// The cashier's checkout, keyboard first: F1/F2/F3 identify, F4 prescription, F6 items, F5 account
// on/off, F7 pre-settle, F8 settle, F9 receipt, F10 today's list, Esc next customer. Every amount on
// screen is the backend's; this component only sequences the calls and shows their answers.
import { useRef, useState } from 'react';
import { Alert, Modal, Typography } from 'antd';
import { type IdentifyRequest, type PrescriptionRequest, type SaleView, type ScannedPrescriptionRequest } from '../../../../core/contracts/checkout';
import { api, type ApiError, inputError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ReceiptModal } from '../../components/Receipt';
import { useHotkeys } from '../../hooks/useHotkeys';
import { asApiError } from '../../hooks/useLoad';
import { useLive, useLiveEvent } from '../../live';
import { navigate } from '../../routes';
import { zh } from '../../strings';
import { BasketCard, type BasketCardHandle, type LineDraft } from './BasketCard';
import { HolderCard, type HolderCardHandle } from './HolderCard';
import { PrescriptionCard, type PrescriptionCardHandle } from './PrescriptionCard';
import { DONE_STATES, SplitCard } from './SplitCard';

type Busy = 'identify' | 'rx' | 'basket' | 'presettle' | 'settle' | null;

/** Offline risk-limit refusals (RISK_*): the backend accepts the sale as self-pay, to re-settle once online. */
function offersSelfPay(error: ApiError): boolean {
  return error.status === 409 && error.code.startsWith('RISK_');
}

export function Checkout(): React.JSX.Element {
  const { status, refreshStatus } = useLive();
  const [sale, setSale] = useState<SaleView | null>(null);
  const [useAccount, setUseAccount] = useState(true);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirmNew, setConfirmNew] = useState(false);
  const [selfPayOffer, setSelfPayOffer] = useState<ApiError | null>(null);
  const [receiptFor, setReceiptFor] = useState<string | null>(null);
  // The last basket answer said the chain's ledger was not reached: only this till's sales were checked.
  const [chainUnchecked, setChainUnchecked] = useState(false);
  const holder = useRef<HolderCardHandle>(null);
  const rx = useRef<PrescriptionCardHandle>(null);
  const basket = useRef<BasketCardHandle>(null);
  const [cardPresent, setCardPresent] = useState(false);
  useLiveEvent(['card'], (_type, data) => setCardPresent(typeof data === 'object' && data !== null && (data as { present?: unknown }).present === true));

  const done = sale !== null && DONE_STATES.has(sale.state);
  const inProgress = sale !== null && !done;
  const today = status?.businessDate ?? new Date().toISOString().slice(0, 10);

  // What the steps act on, kept in a ref as well as in state: steps run one after another (a fast
  // cashier or a scanner can press F7 before the last item's reply is back), and each must see the
  // sale as the step before it left it, not as it was when its key was pressed.
  const current = useRef({ sale: null as SaleView | null, drafts: [] as LineDraft[], useAccount: true });
  const queue = useRef<Promise<void>>(Promise.resolve());
  const commit = (next: SaleView): void => { current.current.sale = next; setSale(next); };
  /** The basket as entered (the request form); the screen shows the backend's view of it. */
  const setLines = (lines: LineDraft[]): void => { current.current.drafts = lines; };
  const say = (message: string): void => setError(asApiError(new Error(message)));
  const focusBasket = (): void => { setTimeout(() => basket.current?.focus(), 0); };

  /** Queues one step; a refusal is shown as the backend said it. */
  const run = (what: Exclude<Busy, null>, task: (sale: SaleView | null) => Promise<void>): void => {
    queue.current = queue.current.then(async () => {
      setBusy(what);
      setError(null);
      try {
        await task(current.current.sale);
      } catch (e) {
        setError(asApiError(e));
      } finally {
        setBusy(null);
      }
    });
  };

  const finishFirst = (): void => say(zh.errors.finishFirst);
  const identify = (request: IdentifyRequest): void => run('identify', async (s) => {
    if (s && !DONE_STATES.has(s.state)) { finishFirst(); return; }
    setLines([]);
    setChainUnchecked(false);
    commit(await api.startSale(request));
    focusBasket();
  });

  const submitRx = (request: PrescriptionRequest | ScannedPrescriptionRequest): void => run('rx', async (s) => {
    if (!s) { say(zh.checkout.needPerson); return; }
    commit(await api.setPrescription(s.id, request));
    focusBasket();
  });

  /** 7202 by the credential read at identify, then 7203 with the one-time auth_rxno it gave. */
  const lookupRx = (): void => run('rx', async (s) => {
    if (!s) { say(zh.checkout.needPerson); return; }
    const found = await api.queryEprescription(s.id);
    commit(await api.setPrescription(s.id, { authRxno: found.authRxno }));
    focusBasket();
  });

  /** 审方 (7204): the pharmacist's result, uploaded before the sale can be settled against the e-prescription. */
  const reviewRx = (approved: boolean, opinion: string, recheckOperatorId?: string | null): void => run('rx', async (s) => {
    if (!s) { say(zh.checkout.needPerson); return; }
    commit(await api.reviewPrescription(s.id, { approved, opinion, ...(recheckOperatorId !== undefined && { recheckOperatorId }) }));
  });

  const putLines = (change: (lines: LineDraft[]) => LineDraft[]): void => run('basket', async (s) => {
    if (!s) { say(zh.checkout.needPerson); return; }
    const lines = change(current.current.drafts);
    const answer = await api.setBasket(s.id, { lines });
    commit(answer);
    setChainUnchecked(answer.chainCheck?.state === 'unavailable');
    setLines(lines);
  });

  const presettleNow = async (s: SaleView | null): Promise<void> => {
    if (!s) { say(zh.checkout.needPerson); return; }
    if (s.lines.length === 0) { say(zh.checkout.needLines); return; }
    commit(await api.presettle(s.id, current.current.useAccount));
  };
  const presettle = (): void => run('presettle', presettleNow);

  const settle = (acceptSelfPay = false): void => run('settle', async (s) => {
    // F8 before F7: pre-settle first, so the amounts are on screen before anything is booked.
    if (!s || s.state !== 'presettled') { await presettleNow(s); return; }
    setSelfPayOffer(null);
    try {
      commit(await api.settle(s.id, current.current.useAccount, acceptSelfPay));
      void refreshStatus(); // the upload queue may have grown
    } catch (e) {
      const failure = asApiError(e);
      // The question carries the refusal's words; everything else is shown as an error.
      if (!acceptSelfPay && offersSelfPay(failure)) setSelfPayOffer(failure);
      else throw failure;
    }
  });

  const toggleAccount = (): void => {
    const s = current.current.sale;
    if (s && DONE_STATES.has(s.state)) return;
    current.current.useAccount = !current.current.useAccount;
    setUseAccount(current.current.useAccount);
    // The split depends on it: ask the backend again rather than adjust the numbers here.
    if (s?.state === 'presettled') presettle();
  };

  const reset = (): void => {
    current.current = { sale: null, drafts: [], useAccount: true };
    setSale(null);
    setChainUnchecked(false);
    setUseAccount(true);
    setError(null);
    setConfirmNew(false);
  };
  const newSale = (): void => {
    if (inProgress) setConfirmNew(true);
    else reset();
  };

  const modalOpen = confirmNew || selfPayOffer !== null || receiptFor !== null;
  useHotkeys({
    F1: () => identify({ method: 'card' }),
    F2: () => (inProgress ? finishFirst() : holder.current?.openMode('voucher')),
    F3: () => (inProgress ? finishFirst() : holder.current?.openMode('idNumber')),
    F4: () => rx.current?.focus(),
    F5: toggleAccount,
    F6: () => basket.current?.focus(),
    F7: presettle,
    F8: () => settle(),
    F9: () => { if (done) setReceiptFor(sale.id); },
    F10: () => navigate('/cashier/today'),
    Escape: newSale,
  }, !modalOpen);

  // In the two questions below, Enter answers yes (Esc, antd's own, answers no).
  useHotkeys({ Enter: reset }, confirmNew);
  useHotkeys({ Enter: () => settle(true) }, selfPayOffer !== null);

  const editable = sale !== null && !done;
  return (
    <div className="checkout" data-testid="checkout">
      <div className="checkout-left">
        {status?.ledger?.seat === 'headoffice' && <Alert type="warning" showIcon title={zh.checkout.headOfficeSeat} data-testid="checkout-headoffice-seat" />}
        <ErrorNotice error={error} onClose={() => setError(null)} testId="checkout-error" />
        {sale?.problems.map((p) => <ErrorNotice key={p.code} error={asApiError(new Error(p.message))} testId="sale-problem" />)}
        {chainUnchecked && editable && (
          <Alert type="warning" showIcon data-testid="chain-unchecked" title={zh.checkout.chainUncheckedTitle} description={zh.checkout.chainUnchecked} style={{ marginBottom: 12 }} />
        )}
        <HolderCard
          ref={holder} person={sale?.person ?? null} busy={busy === 'identify'} locked={inProgress} onIdentify={identify}
          virtualReader={status?.training.virtualReader ?? false} cardPresent={cardPresent}
        />
        <PrescriptionCard
          ref={rx} prescription={sale?.prescription ?? null} today={today} disabled={!editable} busy={busy === 'rx'}
          onSubmit={submitRx} onScan={submitRx} onLookup={lookupRx} onReview={reviewRx} onInvalid={(message, field) => setError(inputError(field, message))}
        />
        <BasketCard
          ref={basket} lines={sale?.lines ?? []} disabled={!editable} busy={busy === 'basket'}
          onAdd={(line) => putLines((lines) => [...lines, line])}
          onRemove={(i) => putLines((lines) => lines.filter((_, j) => j !== i))}
          onInvalid={(message, field) => setError(inputError(field, message))}
        />
      </div>
      <div className="checkout-right">
        <SplitCard
          sale={sale} useAccount={useAccount} busy={busy}
          onToggleAccount={toggleAccount} onPresettle={presettle} onSettle={() => settle()}
          onPrint={() => sale && setReceiptFor(sale.id)} onNewSale={newSale} onToday={() => navigate('/cashier/today')}
        />
      </div>
      <Modal
        open={confirmNew} title={zh.checkout.confirmNewSale} okText={zh.ok} cancelText={zh.cancel}
        onOk={reset} onCancel={() => setConfirmNew(false)} okButtonProps={{ danger: true }}
      >
        <Typography.Text type="secondary">{zh.checkout.confirmNewSaleHint}</Typography.Text>
      </Modal>
      <Modal
        open={selfPayOffer !== null} title={selfPayOffer?.message} okText={zh.checkout.selfPayConfirm} cancelText={zh.cancel}
        onOk={() => settle(true)} onCancel={() => setSelfPayOffer(null)}
      >
        <Typography.Paragraph>{zh.checkout.selfPayOffer}</Typography.Paragraph>
      </Modal>
      <ReceiptModal saleId={receiptFor} onClose={() => setReceiptFor(null)} />
    </div>
  );
}
