// The driver against the simulated reader over real ptys, one test per fault mode of issue 4: the
// right result or error, never a hang (every read is bounded), never a leaked port (the rig checks
// /proc/self/fd after closing), never a half-read holder (a failure carries no holder at all).
import { describe, expect, test } from 'vitest';
import { type CardReadOutcome } from '../../../core/card/port';
import { ForeignCpuCard, MuteCard } from '../../../native/reader-sim/card-model';
import { simCardFor, trainingCard } from '../../../native/reader-sim/training-cards';
import { fdsOpenOn } from '../../support/pty';
import { apduCommands, expectedHolder, until, within, withRig } from './rig';

const shiyan = trainingCard('shiyan-active');
// Command numbers as the simulator counts them for a 2nd-generation read:
// 0 cold reset, 1 SELECT SSSE, 2 GET RESPONSE, 3 SELECT EF05, 4..10 READ RECORD 01..07,
// 11 SELECT EF06, 12..18 READ RECORD 08, 09, 4E, 0A, 0B, 0C, 0D, 19 power off.
const READ_RECORD_03 = 6;

function expectFailure(outcome: CardReadOutcome, error: string): void {
  expect(outcome).toMatchObject({ ok: false, error });
  expect(outcome).not.toHaveProperty('holder');
}

describe('card read over a pty against the simulated reader', () => {
  test('happy path, 2nd generation: the whole holder, then power off', async () => {
    await withRig({ card: simCardFor(shiyan) }, async ({ reader, simulator }) => {
      const outcome = await within(5000, reader.readCard());
      expect(outcome).toEqual({ ok: true, holder: expectedHolder(shiyan) });
      expect(simulator.sim.commands).toHaveLength(20);
      expect(simulator.sim.commands.at(-1)).toBe('51 31');
    });
  });

  test('T=0 quirks of a 1.00 card: 61xx → GET RESPONSE, 6Cxx → resend with the offered Le, 6A83 → empty 4E', async () => {
    const chuxiong = trainingCard('chuxiong-active');
    await withRig({ card: simCardFor(chuxiong) }, async ({ reader, trace }) => {
      const outcome = await within(5000, reader.readCard());
      expect(outcome).toEqual({ ok: true, holder: expectedHolder(chuxiong) });
      const apdus = apduCommands(trace);
      expect(apdus).toContain('00C000001B'); // GET RESPONSE for the 27-byte FCI
      expect(apdus.filter((a) => a.startsWith('00B20904'))).toEqual(['00B2090420', '00B2090408']);
      expect(apdus).toContain('00B24E0416');
    });
  });

  test('a 16-character name is joined from record 09 and the 4E extension', async () => {
    const longName = trainingCard('chuxiong-long-name');
    await withRig({ card: simCardFor(longName) }, async ({ reader }) => {
      const outcome = await within(5000, reader.readCard());
      expect(outcome.ok && outcome.holder.name).toBe('测试长名甲乙丙丁戊己庚辛壬癸子丑');
    });
  });

  test('3rd generation without PSAM: PSAM_REQUIRED, no partial data, card powered off', async () => {
    await withRig({ card: simCardFor(trainingCard('nanchang-active')) }, async ({ reader, simulator }) => {
      const outcome = await within(5000, reader.readCard());
      expectFailure(outcome, 'PSAM_REQUIRED');
      expect(outcome.ok ? '' : outcome.message).toMatch(/3rd-generation card \(3\.00\)/);
      expect(simulator.sim.commands.at(-1)).toBe('51 31');
    });
  });

  test('3rd generation with the PSAM stand-in reads in full', async () => {
    const nanchang = trainingCard('nanchang-active');
    await withRig({ card: simCardFor(nanchang), psam: 'emulated' }, async ({ reader }) => {
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(nanchang) });
    });
  });

  test('a CPU card without the SSSE application, and a card without ATR: NOT_SSCARD', async () => {
    await withRig({ card: new ForeignCpuCard() }, async ({ reader }) => {
      expectFailure(await within(5000, reader.readCard()), 'NOT_SSCARD');
    });
    await withRig({ card: new MuteCard() }, async ({ reader }) => {
      expectFailure(await within(5000, reader.readCard()), 'NOT_SSCARD');
    });
  });

  test('no card: NO_CARD at once, without resending the reset', async () => {
    await withRig({ card: null }, async ({ reader, simulator }) => {
      const started = performance.now();
      expectFailure(await within(5000, reader.readCard()), 'NO_CARD');
      expect(performance.now() - started).toBeLessThan(1000);
      expect(simulator.sim.commands).toEqual(['51 30']);
    });
  });

  test('card removed between records: CARD_REMOVED, the records already read are discarded', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'removeBetweenRecords', afterRecords: 8 }] }, async ({ reader }) => {
      expectFailure(await within(5000, reader.readCard()), 'CARD_REMOVED');
    });
  });

  test('card removed mid-frame: the truncated reply times out, the resend finds the card gone', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'removeMidFrame', from: 8, keepBytes: 6 }] }, async ({ reader, trace }) => {
      expectFailure(await within(5000, reader.readCard()), 'CARD_REMOVED');
      expect(trace.some((e) => e.kind === 'note' && /stopped mid-frame/.test(e.message))).toBe(true);
    });
  });

  test('one bad BCC: the idempotent command is resent and the read succeeds', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'badBcc', from: READ_RECORD_03, times: 1 }] }, async ({ reader, trace }) => {
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
      expect(trace.some((e) => e.kind === 'note' && /resend 1\/2 of APDU/.test(e.message))).toBe(true);
    });
  });

  test('BCC always bad: LINK_CHECKSUM after two resends', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'badBcc' }] }, async ({ reader, simulator }) => {
      expectFailure(await within(5000, reader.readCard()), 'LINK_CHECKSUM');
      expect(simulator.sim.commands).toEqual(['51 30', '51 30', '51 30']);
    });
  });

  test('silence: RESPONSE_TIMEOUT after two resends, and the port stays usable', async () => {
    const timings = { cardMs: 300, readerMs: 200 };
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'silence', times: 3 }], timings }, async ({ reader, simulator }) => {
      const started = performance.now();
      expectFailure(await within(5000, reader.readCard()), 'RESPONSE_TIMEOUT');
      expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 300 - 20);
      expect(simulator.sim.commands).toEqual(['51 30', '51 30', '51 30']);
      expect(reader.isOpen).toBe(true);
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
    });
  });

  test('an APDU reply lost for good: cold reset and start again from SELECT', async () => {
    const timings = { cardMs: 300, readerMs: 200 };
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'silence', from: READ_RECORD_03, times: 3 }], timings }, async ({ reader, simulator }) => {
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
      expect(simulator.sim.commands.slice(READ_RECORD_03, READ_RECORD_03 + 5)).toEqual(['51 33', '51 33', '51 33', '51 30', '51 33']);
    });
  });

  test('a reply later than the timeout: the late duplicate is recognised, the read restarts cleanly', async () => {
    const timings = { cardMs: 300, readerMs: 200 };
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'delay', ms: 400, from: READ_RECORD_03, times: 1 }], timings }, async ({ reader, trace, simulator }) => {
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
      expect(trace.some((e) => e.kind === 'note' && /out of step .*start again from SELECT/.test(e.message))).toBe(true);
      expect(simulator.sim.commands.filter((c) => c === '51 30')).toHaveLength(2);
    });
  });

  test('garbage, stray F2 bytes, impossible LEN and fake frames around every reply: resync, correct result', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'garbage' }] }, async ({ reader, trace }) => {
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
      const reasons = new Set(trace.flatMap((e) => (e.kind === 'drop' ? [e.reason] : [])));
      expect([...reasons]).toEqual(expect.arrayContaining(['noise', 'length', 'bcc']));
      expect(trace.some((e) => e.kind === 'note' && /resend/.test(e.message))).toBe(false);
    });
  });

  test('1-byte fragments: reassembled', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'fragments', gapMs: 1 }] }, async ({ reader }) => {
      expect(await within(10_000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
    });
  });

  test('slow chunks once: the inter-byte timeout ends the frame, the resend recovers', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'slowChunks', from: READ_RECORD_03, times: 1, chunkBytes: 8, gapMs: 200 }] }, async ({ reader, trace }) => {
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
      expect(trace.some((e) => e.kind === 'note' && /stopped mid-frame/.test(e.message))).toBe(true);
    });
  });

  test('slow chunks always: RESPONSE_TIMEOUT, then the reader answers the next command', async () => {
    // Commands 6..11: READ RECORD 03 three times, then the cold reset of the restart three times.
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'slowChunks', from: READ_RECORD_03, times: 6, chunkBytes: 6, gapMs: 150 }] }, async ({ reader, simulator }) => {
      expectFailure(await within(10_000, reader.readCard()), 'RESPONSE_TIMEOUT');
      expect(simulator.sim.commands.slice(READ_RECORD_03)).toEqual(['51 33', '51 33', '51 33', '51 30', '51 30', '51 30']);
      // Once the slow line has drained, its leftovers are dropped and the next command gets its own reply.
      await within(5000, until(() => simulator.sim.idle));
      expect(await within(5000, reader.status())).toMatchObject({ ok: true, card: 'powered' });
    });
  });

  test('stale replies (another command\'s reply in the same write): dropped, correct result', async () => {
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'staleReplies' }] }, async ({ reader, trace }) => {
      expect(await within(5000, reader.readCard())).toEqual({ ok: true, holder: expectedHolder(shiyan) });
      expect(trace.filter((e) => e.kind === 'rx' && e.command === undefined)).toHaveLength(20);
    });
  });

  test('unplug mid-read: READER_DISCONNECTED at once, the port is released, reopening reports PORT_UNAVAILABLE', async () => {
    // A long card timeout, so "at once" (the hang-up event) and "after the timeout" cannot be confused
    // on a loaded machine: the time is measured from the unplug itself, not from the start of the read.
    const cardMs = 15_000;
    await withRig({ card: simCardFor(shiyan), faults: [{ kind: 'unplug', from: READ_RECORD_03 }], timings: { cardMs } }, async ({ reader, pair, unpluggedAt }) => {
      expectFailure(await within(cardMs, reader.readCard()), 'READER_DISCONNECTED');
      const failedAt = performance.now();
      expect(unpluggedAt()).toBeDefined();
      expect(failedAt - (unpluggedAt() ?? 0)).toBeLessThan(cardMs / 3);
      expect(reader.isOpen).toBe(false);
      expect(fdsOpenOn(pair.b)).toEqual([]);
      expectFailure(await within(5000, reader.readCard()), 'PORT_UNAVAILABLE');
    });
  });
});
