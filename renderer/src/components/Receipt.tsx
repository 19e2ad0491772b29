// Printable pages the backend renders (a sale's receipt, the daily report): a preview in a modal
// and, for paper, a copy in a print-only area outside the app (the print stylesheet hides the rest).
// Printing goes through the desktop shell in Electron (new windows are refused there) or window.print().
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { App, Modal, Spin } from 'antd';
import { api, type ApiError } from '../api';
import { useHotkeys } from '../hooks/useHotkeys';
import { asApiError } from '../hooks/useLoad';
import { shell } from '../shell';
import { zh } from '../strings';
import { ErrorNotice } from './ErrorNotice';

/** Keeps the page's own styles and body; drops anything executable (the CSP would block it anyway). */
function printableMarkup(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, iframe, object, embed, link, meta, base').forEach((el) => el.remove());
  for (const el of doc.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) if (/^on/i.test(attr.name)) el.removeAttribute(attr.name);
  }
  const styles = [...doc.querySelectorAll('style')].map((s) => s.outerHTML).join('');
  return styles + doc.body.innerHTML;
}

interface PreviewProps {
  /** What to show; null closes the preview. Changing it loads the new page. */
  target: string | null;
  title: string;
  load(target: string): Promise<string>;
  onClose(): void;
  width?: number;
}

export function PrintPreviewModal({ target, title, load, onClose, width = 460 }: PreviewProps): React.JSX.Element {
  const [markup, setMarkup] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const { message } = App.useApp();
  useEffect(() => {
    setMarkup(null);
    setError(null);
    if (target === null) return;
    load(target).then((html) => setMarkup(printableMarkup(html)), (e: unknown) => setError(asApiError(e)));
  }, [target, load]);

  const print = async (): Promise<void> => {
    const result = await shell.print();
    if (!result.ok) void message.error(zh.checkout.printFailed(result.reason));
  };
  useHotkeys({ Enter: () => void print() }, target !== null && markup !== null);

  return (
    <Modal
      open={target !== null}
      title={title}
      okText={<span data-testid="print-now">{zh.checkout.printNow}<kbd className="key-hint">Enter</kbd></span>}
      cancelText={zh.close}
      okButtonProps={{ disabled: markup === null }}
      onOk={() => void print()}
      onCancel={onClose}
      width={width}
      destroyOnHidden
    >
      <ErrorNotice error={error} />
      {markup === null && !error && <Spin />}
      {markup !== null && <div className="receipt-preview" data-testid="print-preview" dangerouslySetInnerHTML={{ __html: markup }} />}
      {markup !== null && createPortal(<div className="receipt-print" dangerouslySetInnerHTML={{ __html: markup }} />, document.body)}
    </Modal>
  );
}

export function ReceiptModal({ saleId, onClose }: { saleId: string | null; onClose: () => void }): React.JSX.Element {
  return <PrintPreviewModal target={saleId} title={zh.checkout.receiptTitle} load={api.receiptHtml} onClose={onClose} />;
}
