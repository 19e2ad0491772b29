// Refund one settled sale: the reason is required (it goes into the journal).
import { useState } from 'react';
import { Input, Modal, Typography } from 'antd';
import { RefundRequest, type SaleView } from '../../../core/contracts/checkout';
import { api, inputError } from '../api';
import { useAction } from '../hooks/useAction';
import { zh } from '../strings';
import { Amount } from './Amount';
import { ErrorNotice } from './ErrorNotice';

export function RefundModal({ sale, onClose, onRefunded }: { sale: SaleView | null; onClose: () => void; onRefunded: (sale: SaleView) => void }): React.JSX.Element {
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();

  const submit = async (): Promise<void> => {
    if (!sale) return;
    const parsed = RefundRequest.safeParse({ reason });
    if (!parsed.success) { setError(inputError('reason', parsed.error.issues[0]!.message)); return; }
    await run(async () => {
      const refunded = await api.refund(sale.id, parsed.data.reason);
      setReason('');
      onRefunded(refunded);
    });
  };

  return (
    <Modal
      open={sale !== null}
      title={zh.today.refundTitle}
      okText={<span data-testid="refund-confirm">{zh.today.refundConfirm}</span>}
      cancelText={zh.cancel}
      okButtonProps={{ danger: true, loading: busy }}
      onOk={() => void submit()}
      onCancel={() => { setError(null); setReason(''); onClose(); }}
      destroyOnHidden
    >
      {sale && (
        <Typography.Paragraph>
          <span className="mono">{sale.id}</span> · {sale.person?.name ?? zh.none} · {zh.checkout.total} <Amount value={sale.split?.total} />
        </Typography.Paragraph>
      )}
      <ErrorNotice error={error} testId="refund-error" />
      <Input
        autoFocus
        data-testid="refund-reason"
        placeholder={zh.today.refundReasonPlaceholder}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        onPressEnter={() => void submit()}
      />
    </Modal>
  );
}
