// The simulator on a real serial device (in tests: one end of a socat pty pair; on a bench: a
// USB-serial adapter looped to the driver's). Opens the port with serialport, like the driver.
import { SerialPort } from 'serialport';
import { type SimCard } from './card-model';
import { SimReader, type SimReaderOptions } from './sim-reader';

export interface SerialSimulator {
  readonly sim: SimReader;
  readonly path: string;
  close(): Promise<void>;
}

export async function startSerialSimulator(path: string, options: SimReaderOptions & { readonly card?: SimCard | null } = {}): Promise<SerialSimulator> {
  const port = new SerialPort({ path, baudRate: options.baud ?? 38400, autoOpen: false, lock: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const sim = new SimReader((bytes) => { if (port.isOpen) port.write(Buffer.from(bytes)); }, options);
  if (options.card) sim.insert(options.card);
  port.on('data', (chunk: Buffer) => sim.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  port.on('error', () => undefined); // the far end vanishing (unplug tests) is expected here
  return {
    sim, path,
    close: async () => {
      sim.stop();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
