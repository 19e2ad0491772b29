// The virtual reader: the simulator in-process, behind the same CardReaderPort and the same bytes
// as the serial driver (no pty). Backs training mode and `npm run serve` when no real reader is
// configured. A training reader "has a PSAM" by default, so 3rd-generation training cards read.
//
//   const virtual = createVirtualReader({ card: 'shiyan-active' });
//   await virtual.port.readCard();     // CardReaderPort
//   virtual.insert('nanchang-active'); virtual.remove();
import { CardError } from '../../core/card/errors';
import { createCardReader, type SessionCardReader } from '../../core/reader/card-reader';
import { type ByteLink, LinkListeners } from '../../core/reader/link';
import { type SessionOptions } from '../../core/reader/session';
import { systemClock } from '../serial/clock';
import { type SimCard } from './card-model';
import { type SimFault } from './faults';
import { SimReader } from './sim-reader';
import { simCardFor, trainingCard, type TrainingCard } from './training-cards';

export interface VirtualReaderOptions extends SessionOptions {
  /** Card in the slot at start: a fixture id, a training card, a SimCard, or none. */
  readonly card?: string | TrainingCard | SimCard | null;
  readonly psam?: 'none' | 'emulated';
  readonly pace?: boolean;
  readonly baud?: number;
  readonly faults?: readonly SimFault[];
  readonly cardLatencyMs?: number;
  readonly firmware?: string;
}

export interface VirtualReader {
  readonly port: SessionCardReader;
  readonly sim: SimReader;
  insert(card: string | TrainingCard | SimCard): void;
  remove(): void;
}

function toSimCard(card: string | TrainingCard | SimCard): SimCard {
  if (typeof card === 'string') return simCardFor(trainingCard(card));
  return 'fixtureId' in card ? simCardFor(card) : card;
}

export function createVirtualReader(options: VirtualReaderOptions = {}): VirtualReader {
  let link: InProcessLink | null = null;
  let unplugged = false;
  const sim = new SimReader((bytes) => link?.deliver(bytes), {
    baud: options.baud, pace: options.pace ?? true, psam: options.psam ?? 'emulated', faults: options.faults,
    cardLatencyMs: options.cardLatencyMs, firmware: options.firmware ?? 'VIRTUAL-READER 1.0',
    onUnplug: () => { unplugged = true; link?.hangUp('reader disconnected (virtual reader unplugged)'); },
  });
  if (options.card) sim.insert(toSimCard(options.card));
  const port = createCardReader({
    ...options,
    clock: systemClock,
    connect: async () => {
      if (unplugged) throw new CardError('PORT_UNAVAILABLE', 'the virtual reader was unplugged');
      link = new InProcessLink((bytes) => sim.receive(bytes));
      return link;
    },
  });
  return {
    port, sim,
    insert: (card) => sim.insert(toSimCard(card)),
    remove: () => sim.remove(),
  };
}

/** Host side of an in-process byte pipe; deliveries are asynchronous, like a real port. */
export class InProcessLink implements ByteLink {
  private readonly listeners = new LinkListeners();
  private open = true;

  constructor(private readonly toReader: (bytes: Uint8Array) => void) {}

  get isOpen(): boolean {
    return this.open;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.open) return Promise.reject(new Error('the virtual link is closed'));
    const copy = bytes.slice();
    setImmediate(() => { if (this.open) this.toReader(copy); });
    return Promise.resolve();
  }

  /** Bytes from the simulated reader. */
  deliver(bytes: Uint8Array): void {
    const copy = bytes.slice();
    setImmediate(() => {
      if (this.open) this.listeners.emitData(copy);
    });
  }

  hangUp(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.listeners.emitClose(reason);
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    return this.listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.listeners.onClose(listener);
  }

  async close(): Promise<void> {
    this.hangUp('the port was closed');
  }
}
