// window.ybjs.print: prints the page that asked (receipts, settlement slips) via Chromium's printing.
import { type PrintResult } from './bridge-contract';

export interface PrintableContents {
  print(options: { silent: boolean; printBackground: boolean }, callback: (success: boolean, failureReason: string) => void): void;
}

export function printContents(contents: PrintableContents, silent: boolean): Promise<PrintResult> {
  return new Promise((resolve) => {
    contents.print({ silent, printBackground: true }, (success, failureReason) => {
      resolve(success ? { ok: true } : { ok: false, reason: failureReason || 'print failed' });
    });
  });
}
