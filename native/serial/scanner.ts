// A 2D scanner on a serial port (USB-CDC or RS-232) sending the 医保电子凭证 QR text ended by CR/LF.
// Codes are delivered once, opaque; a line cut short (no terminator within `idleMs`) is rejected.
// serialport (18 packages and a native addon) is imported when first needed, not at start-up.
import { CardError } from '../../core/card/errors';
import { ScanLineAssembler, type ScanLineEvent } from '../../core/scanner/scan-lines';
import { type VoucherCode } from '../../core/scanner/voucher-code';
import { systemClock } from './clock';
import { explainOpenError } from './os-hints';

export interface SerialScannerOptions {
  readonly path: string;
  readonly baud?: number;
  readonly idleMs?: number;
  readonly maxBytes?: number;
  readonly onCode: (code: VoucherCode) => void;
  readonly onRejected?: (event: Extract<ScanLineEvent, { type: 'rejected' }>) => void;
}

export interface SerialScanner {
  close(): Promise<void>;
  readonly isOpen: boolean;
}

export async function openSerialScanner(options: SerialScannerOptions): Promise<SerialScanner> {
  const { SerialPort: Port } = await import('serialport');
  const port = new Port({ path: options.path, baudRate: options.baud ?? 9600, autoOpen: false, lock: true });
  await new Promise<void>((resolve, reject) => port.open((error) => (error
    ? reject(new CardError('PORT_UNAVAILABLE', `${explainOpenError(error.message, options.path)} (${error.message})`))
    : resolve())));
  const lines = new ScanLineAssembler(options.maxBytes);
  let idle: NodeJS.Timeout | undefined;
  const emit = (events: ScanLineEvent[]): void => {
    for (const event of events) {
      if (event.type === 'code') options.onCode({ text: event.text, scannedAt: systemClock.now(), source: 'serial' });
      else options.onRejected?.(event);
    }
  };
  port.on('data', (chunk: Buffer) => {
    emit(lines.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    if (idle) clearTimeout(idle);
    idle = lines.pending > 0 ? setTimeout(() => emit(lines.expire()), options.idleMs ?? 300) : undefined;
  });
  port.on('error', () => undefined);
  return {
    get isOpen() { return port.isOpen; },
    close: async () => {
      if (idle) clearTimeout(idle);
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
