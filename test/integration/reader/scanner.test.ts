// A serial 2D scanner on a real pty: codes ended by CR/LF arrive once, in any chunking; a line cut
// short is rejected after the idle time; the port closes.
import { SerialPort } from 'serialport';
import { expect, test } from 'vitest';
import { type VoucherCode } from '../../../core/scanner/voucher-code';
import { openSerialScanner } from '../../../native/serial/scanner';
import { fdsOpenOn, openPtyPair } from '../../support/pty';
import { until, within } from './rig';

test('scanned codes over a pty: whole, once, opaque; a partial line is rejected', async () => {
  const pair = await openPtyPair();
  const device = new SerialPort({ path: pair.a, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => device.open((e) => (e ? reject(e) : resolve())));
  const codes: VoucherCode[] = [];
  const rejected: string[] = [];
  const scanner = await openSerialScanner({ path: pair.b, idleMs: 150, onCode: (c) => codes.push(c), onRejected: (r) => rejected.push(r.reason) });
  try {
    const send = async (text: string): Promise<void> => {
      for (const piece of text.match(/.{1,3}/gs)!) {
        device.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await send('EC:7f3a9b2c-opaque/Text+1==\r\n');
    await send('SECOND-CODE\n');
    await within(3000, until(() => codes.length === 2));
    expect(codes.map((c) => c.text)).toEqual(['EC:7f3a9b2c-opaque/Text+1==', 'SECOND-CODE']);
    expect(codes[0]!.source).toBe('serial');
    await send('CUT-SH');
    await within(3000, until(() => rejected.length === 1));
    expect(rejected).toEqual(['incomplete']);
    expect(codes).toHaveLength(2);
  } finally {
    await scanner.close();
    expect(scanner.isOpen).toBe(false);
    expect(fdsOpenOn(pair.b)).toEqual([]);
    await new Promise<void>((resolve) => device.close(() => resolve()));
    await pair.kill();
  }
});
