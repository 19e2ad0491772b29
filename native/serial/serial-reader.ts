// The real reader: a CardReaderPort on a serial port speaking the reference protocol. The port is
// opened on first use and reopened after an unplug; PORT_UNAVAILABLE carries an OS-specific hint.
//
//   const reader = createSerialCardReader({ path: '/dev/ttyUSB0', baud: 38400 });
//   const outcome = await reader.readCard();
//   await reader.close();
import { createCardReader, type SessionCardReader } from '../../core/reader/card-reader';
import { type SessionOptions } from '../../core/reader/session';
import { systemClock } from './clock';
import { openSerialLink } from './serial-link';

export const DEFAULT_BAUD = 38400;

export interface SerialCardReaderOptions extends SessionOptions {
  readonly path: string;
  readonly baud?: number;
  readonly restartsAfterLostReply?: number;
}

export function createSerialCardReader(options: SerialCardReaderOptions): SessionCardReader {
  const baud = options.baud ?? DEFAULT_BAUD;
  return createCardReader({ ...options, clock: systemClock, connect: () => openSerialLink(options.path, baud) });
}
