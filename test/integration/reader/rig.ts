// A driver and a simulated reader on the two ends of a real socat pty pair, torn down with proof
// that the driver's port was closed (no file descriptor left on its pty).
import { expect } from 'vitest';
import { toHex } from '../../../core/card/bytes';
import { type CardholderRecord } from '../../../core/card/cardholder';
import { type SessionCardReader } from '../../../core/reader/card-reader';
import { type ReaderTimings } from '../../../core/reader/table';
import { type TraceEvent } from '../../../core/reader/trace';
import { type SimCard } from '../../../native/reader-sim/card-model';
import { type SimFault } from '../../../native/reader-sim/faults';
import { startSerialSimulator, type SerialSimulator } from '../../../native/reader-sim/serial-sim';
import { simCardFor, type TrainingCard } from '../../../native/reader-sim/training-cards';
import { createSerialCardReader } from '../../../native/serial/serial-reader';
import { fdsOpenOn, openPtyPair, type PtyPair } from '../../support/pty';

export interface RigOptions {
  readonly card?: SimCard | null;
  readonly faults?: readonly SimFault[];
  readonly psam?: 'none' | 'emulated';
  readonly baud?: number;
  readonly timings?: Partial<ReaderTimings>;
}

export interface Rig {
  readonly pair: PtyPair;
  readonly simulator: SerialSimulator;
  readonly reader: SessionCardReader;
  readonly trace: TraceEvent[];
  /** performance.now() when the simulator's 'unplug' fault fired, or undefined. */
  readonly unpluggedAt: () => number | undefined;
}

export async function withRig<T>(options: RigOptions, body: (rig: Rig) => Promise<T>): Promise<T> {
  const pair = await openPtyPair();
  const trace: TraceEvent[] = [];
  let simulator: SerialSimulator | undefined;
  let reader: SessionCardReader | undefined;
  let unpluggedAt: number | undefined;
  try {
    simulator = await startSerialSimulator(pair.a, {
      baud: options.baud ?? 38400, card: options.card, faults: options.faults, psam: options.psam,
      onUnplug: () => { unpluggedAt = performance.now(); void pair.kill(); },
    });
    reader = createSerialCardReader({ path: pair.b, baud: options.baud ?? 38400, timings: options.timings, trace: (e) => trace.push(e) });
    return await body({ pair, simulator, reader, trace, unpluggedAt: () => unpluggedAt });
  } finally {
    await reader?.close();
    expect(reader?.isOpen ?? false).toBe(false);
    expect(fdsOpenOn(pair.b)).toEqual([]);
    await simulator?.close();
    await pair.kill();
  }
}

/** Fails (instead of hanging) when `promise` takes longer than `ms`. */
export async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export async function until(condition: () => boolean, pollMs = 20): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, pollMs));
}

/** What a read of a training card must return, derived from the fixture, not from the decoder. */
export function expectedHolder(card: TrainingCard): CardholderRecord {
  const p = card.profile;
  return {
    cardId: card.cardId, region: p.region, cardType: p.cardType, version: p.version, generation: card.generation,
    initOrg: p.initOrg, issuedOn: p.issuedOn, expiresOn: p.expiresOn, cardNo: p.cardNo, ssn: p.ssn, name: p.name,
    sex: p.sex, nation: p.nation, birthPlace: p.birthPlace, birthDate: p.birthDate, atr: toHex(simCardFor(card).atr()),
  };
}

export const apduCommands = (trace: readonly TraceEvent[]): string[] =>
  trace.flatMap((e) => (e.kind === 'tx' && e.command.name === 'apdu' ? [toHex(e.command.data)] : []));
