// The session and the CardReaderPort against the simulated reader in-process (no pty, no pacing):
// resend rules, E02, serialisation, close during a wait, unplug. The pty suite repeats the fault
// modes over real ptys; these are the protocol rules that need exact command counts.
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../../core/card/bytes';
import { CardError } from '../../../core/card/errors';
import { createCardReader } from '../../../core/reader/card-reader';
import { ReaderSession } from '../../../core/reader/session';
import { type SimFault } from '../../../native/reader-sim/faults';
import { SimReader } from '../../../native/reader-sim/sim-reader';
import { simCardFor, trainingCard } from '../../../native/reader-sim/training-cards';
import { createVirtualReader, InProcessLink } from '../../../native/reader-sim/virtual';
import { systemClock } from '../../../native/serial/clock';

const FAST = { cardMs: 150, readerMs: 100, interByteMs: 40 };

function sessionWith(faults: SimFault[], timings = FAST): { session: ReaderSession; sim: SimReader; link: InProcessLink } {
  // The simulator only sends after it has received, so `link` is initialised by then.
  const sim: SimReader = new SimReader((bytes) => link.deliver(bytes), { pace: false, faults });
  sim.insert(simCardFor(trainingCard('shiyan-active')));
  const link = new InProcessLink((bytes) => sim.receive(bytes));
  return { session: new ReaderSession(link, systemClock, { timings }), sim, link };
}

async function rejection(promise: Promise<unknown>): Promise<CardError> {
  try { await promise; } catch (error) { if (error instanceof CardError) return error; throw error; }
  throw new Error('expected a CardError');
}

describe('resend rules', () => {
  test('an idempotent APDU (READ RECORD) is sent three times in all, a GET CHALLENGE once', async () => {
    const { session, sim } = sessionWith([{ kind: 'silence', from: 1 }]);
    await session.exchange('coldReset');
    expect((await rejection(session.exchange('apdu', fromHex('00B2010412')))).code).toBe('RESPONSE_TIMEOUT');
    expect(sim.commands).toEqual(['51 30', '51 33', '51 33', '51 33']);
    expect((await rejection(session.exchange('apdu', fromHex('0084000008')))).message).toMatch(/no reply within 150 ms$/);
    expect(sim.commands).toHaveLength(5);
  });

  test('power off, identify and beep are never resent; status and resets are', async () => {
    const { session, sim } = sessionWith([{ kind: 'silence' }]);
    for (const name of ['powerOff', 'identify'] as const) await rejection(session.exchange(name));
    await rejection(session.exchange('beep', new Uint8Array(), 10));
    expect(sim.commands).toEqual(['51 31', '30 30', '42 0A']);
    await rejection(session.exchange('status'));
    expect(sim.commands.slice(3)).toEqual(['31 30', '31 30', '31 30']);
  });

  test('E02 (the reader got a damaged frame) is resent like a BCC error; always E02 → LINK_CHECKSUM', async () => {
    const once = sessionWith([{ kind: 'damagedCommands', times: 1 }]);
    expect(await once.session.exchange('coldReset')).toMatchObject({ kind: 'positive' });
    expect(once.sim.commands).toEqual(['51 30', '51 30']);
    const always = sessionWith([{ kind: 'damagedCommands' }]);
    const error = await rejection(always.session.exchange('coldReset'));
    expect(error.code).toBe('LINK_CHECKSUM');
    expect(error.message).toMatch(/E02 .*\(3 attempts\)/);
  });

  test('the link closing during a wait fails the exchange at once with READER_DISCONNECTED', async () => {
    const { session, link } = sessionWith([{ kind: 'silence' }], { ...FAST, cardMs: 2000 });
    const started = performance.now();
    const pending = rejection(session.exchange('coldReset'));
    setTimeout(() => link.hangUp('unplugged'), 20);
    const error = await pending;
    expect(error.code).toBe('READER_DISCONNECTED');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(session.isClosed).toBe(true);
    expect((await rejection(session.exchange('status'))).code).toBe('READER_DISCONNECTED');
  });

  test('one command outstanding: a second concurrent exchange is a programming error', async () => {
    const { session } = sessionWith([]);
    const first = session.exchange('status');
    await expect(session.exchange('status')).rejects.toThrow(/one command outstanding/);
    await first;
  });
});

describe('CardReaderPort over the virtual reader', () => {
  test('concurrent calls are serialised: a status never cuts into a read', async () => {
    const virtual = createVirtualReader({ card: 'shiyan-active', pace: false });
    const [read, status] = await Promise.all([virtual.port.readCard(), virtual.port.status()]);
    expect(read.ok).toBe(true);
    expect(status).toEqual({ ok: true, firmware: 'VIRTUAL-READER 1.0', card: 'present' });
    expect(virtual.sim.commands.slice(-3)).toEqual(['51 31', '30 30', '31 30']);
    await virtual.port.close();
  });

  test('status names the firmware the reader gave once per link: a poll is one exchange, a reopened link asks again', async () => {
    let firmware = 'FW-A 1.0';
    let link: InProcessLink | null = null;
    const sent: string[][] = [];
    const port = createCardReader({
      clock: systemClock,
      connect: async () => {
        const current = new SimReader((bytes) => link?.deliver(bytes), { pace: false, firmware });
        sent.push(current.commands);
        link = new InProcessLink((bytes) => current.receive(bytes));
        return link;
      },
    });
    expect(await port.status()).toEqual({ ok: true, firmware: 'FW-A 1.0', card: 'absent' });
    expect(await port.status()).toEqual({ ok: true, firmware: 'FW-A 1.0', card: 'absent' });
    expect(sent).toEqual([['30 30', '31 30', '31 30']]);
    // Another reader plugged in: the old link is gone, the new one is asked who it is.
    firmware = 'FW-B 2.0';
    (link as InProcessLink | null)?.hangUp('unplugged');
    expect(await port.status()).toEqual({ ok: true, firmware: 'FW-B 2.0', card: 'absent' });
    expect(sent[1]).toEqual(['30 30', '31 30']);
    await port.close();
  });

  test('insert and remove cards; no card → NO_CARD', async () => {
    const virtual = createVirtualReader({ card: null, pace: false });
    expect(await virtual.port.readCard()).toMatchObject({ ok: false, error: 'NO_CARD' });
    virtual.insert('nanchang-active');
    const read = await virtual.port.readCard();
    expect(read.ok && read.holder.generation).toBe(3); // the training reader's PSAM stand-in
    virtual.remove();
    expect(await virtual.port.status()).toMatchObject({ ok: true, card: 'absent' });
    await virtual.port.close();
  });

  test('close() during a read ends it at once; later calls fail, close twice is fine', async () => {
    const virtual = createVirtualReader({ card: 'shiyan-active', pace: false, faults: [{ kind: 'silence' }] });
    const started = performance.now();
    const read = virtual.port.readCard();
    setTimeout(() => void virtual.port.close(), 30);
    expect(await read).toMatchObject({ ok: false, error: 'READER_DISCONNECTED' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(virtual.port.isOpen).toBe(false);
    expect(await virtual.port.beep()).toMatchObject({ ok: false, error: 'READER_DISCONNECTED', message: /closed/ });
    await virtual.port.close();
  });

  test('unplugged: READER_DISCONNECTED, then PORT_UNAVAILABLE when it cannot reconnect', async () => {
    const virtual = createVirtualReader({ card: 'shiyan-active', pace: false, faults: [{ kind: 'unplug', from: 4 }] });
    expect(await virtual.port.readCard()).toMatchObject({ ok: false, error: 'READER_DISCONNECTED' });
    expect(await virtual.port.readCard()).toMatchObject({ ok: false, error: 'PORT_UNAVAILABLE' });
    await virtual.port.close();
  });
});
