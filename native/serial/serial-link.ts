// A ByteLink over a real serial port (serialport 13): 8N1, no flow control, exclusive lock.
// Type only: serialport (18 packages and a native addon) loads when a port is first opened, not at start-up.
import type { SerialPort } from 'serialport';
import { CardError } from '../../core/card/errors';
import { type ByteLink, LinkListeners } from '../../core/reader/link';
import { explainOpenError } from './os-hints';

export interface SerialLink extends ByteLink {
  readonly path: string;
}

export async function openSerialLink(path: string, baudRate: number): Promise<SerialLink> {
  const { SerialPort: Port } = await import('serialport');
  const port = new Port({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, autoOpen: false, lock: true });
  await new Promise<void>((resolve, reject) => {
    port.open((error) => {
      if (!error) { resolve(); return; }
      reject(new CardError('PORT_UNAVAILABLE', `${explainOpenError(error.message, path)} (${error.message})`));
    });
  });
  return new PortLink(port, path);
}

class PortLink implements SerialLink {
  private readonly listeners = new LinkListeners();
  private closing = false;

  constructor(private readonly port: SerialPort, readonly path: string) {
    port.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      this.listeners.emitData(bytes);
    });
    port.on('close', (error?: Error & { disconnected?: boolean }) => {
      this.reportClosed(error?.disconnected ? `reader disconnected (${error.message})` : 'the port was closed');
    });
    // serialport emits 'error' for read/write failures; without a listener Node would throw.
    port.on('error', (error: Error) => {
      if (!port.isOpen) this.reportClosed(`port error: ${error.message}`);
    });
  }

  get isOpen(): boolean {
    return this.port.isOpen && !this.closing;
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) { reject(new Error('the port is not open')); return; }
      this.port.write(Buffer.from(bytes), (error) => (error ? reject(error) : resolve()));
    });
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    return this.listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.listeners.onClose(listener);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
    this.reportClosed('the port was closed');
  }

  private reportClosed(reason: string): void {
    this.listeners.emitClose(reason);
  }
}
