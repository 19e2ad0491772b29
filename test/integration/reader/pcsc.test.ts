// The PC/SC driver against the real pcsc-lite daemon (Debian's pcscd) with vsmartcard's virtual
// reader (vpcd) and a simulated SSSE card speaking vpcd's protocol: insert and remove, both slots,
// 2nd- and 3rd-generation layouts, an unknown card, a card pulled mid-read, garbage answers, and the
// service dying mid-read. One private daemon for the file (test/support/pcscd.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toHex } from '../../../core/card/bytes';
import { formatTraceEvent } from '../../../core/reader/trace-format';
import { type TraceEvent } from '../../../core/reader/trace';
import { ForeignCpuCard } from '../../../native/reader-sim/card-model';
import { simCardFor, trainingCard } from '../../../native/reader-sim/training-cards';
import { VpcdCard, type VpcdFault } from '../../../native/reader-sim/vpcd-card';
import type * as PcscModule from '../../../native/pcsc/pcsc-reader';
import { type PcscCardReader } from '../../../native/pcsc/pcsc-reader';
import { runCardCli } from '../../support/card-cli';
import { setNativeEnv } from '../../support/native-env';
import { type PcscdRig, startPcscd } from '../../support/pcscd';
import { expectedHolder, within } from './rig';

let rig: PcscdRig;
let createPcscCardReader: typeof PcscModule.createPcscCardReader;

beforeAll(async () => {
  rig = await startPcscd();
  // libpcsclite reads the socket path once per process, before the first call.
  setNativeEnv('PCSCLITE_CSOCK_NAME', rig.socket);
  ({ createPcscCardReader } = await import('../../../native/pcsc/pcsc-reader'));
});
afterAll(async () => { await rig?.stop(); });

async function slotIs(reader: PcscCardReader, name: string, card: 'present' | 'absent'): Promise<void> {
  await within(8000, (async () => {
    for (;;) {
      const slot = (await reader.list()).find((r) => r.name === name);
      if (slot?.card === card) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })());
}

/** A card in a slot for the length of `body`; the reader sees it before `body` starts. */
async function withCard<T>(reader: PcscCardReader, card: VpcdCard, slot: 'slot0' | 'slot1', body: () => Promise<T>): Promise<T> {
  await card.insert();
  await slotIs(reader, rig.readerNames[slot], 'present');
  try {
    return await body();
  } finally {
    card.remove();
    await slotIs(reader, rig.readerNames[slot], 'absent');
  }
}

const vpcd = (fixture: string, slot: 'slot0' | 'slot1' = 'slot0', faults: VpcdFault[] = [], unlocked = false): VpcdCard =>
  new VpcdCard(simCardFor(trainingCard(fixture)), { port: rig.ports[slot], faults, unlocked });

describe('PC/SC driver through pcscd + vpcd', () => {
  test('lists both slots of the reader; an empty reader reads NO_CARD', async () => {
    const reader = createPcscCardReader();
    try {
      const list = await reader.list();
      expect(list.map((r) => r.name)).toEqual([rig.readerNames.slot0, rig.readerNames.slot1]);
      expect(list.every((r) => r.card === 'absent' && r.atr === null)).toBe(true);
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'NO_CARD' });
      expect(await reader.status()).toMatchObject({ ok: true, card: 'absent' });
    } finally { await reader.close(); }
  });

  test('2nd generation: insert, the whole holder with the ATR from pcscd, every APDU traced with its SW and EF06 masked, remove', async () => {
    const trace: TraceEvent[] = [];
    const reader = createPcscCardReader({ trace: (e) => trace.push(e) });
    const card = vpcd('shiyan-active');
    try {
      await withCard(reader, card, 'slot0', async () => {
        expect(await reader.status()).toMatchObject({ ok: true, card: 'present', firmware: `PC/SC ${rig.readerNames.slot0}` });
        expect((await reader.list())[0]!.atr).toBe(toHex(simCardFor(trainingCard('shiyan-active')).atr()));
        const outcome = await reader.readCard();
        expect(outcome).toEqual({ ok: true, holder: expectedHolder(trainingCard('shiyan-active')) });
      });
      const apdus = trace.filter((e) => e.kind === 'apdu');
      expect(apdus.length).toBe(card.apduCount);
      expect(trace[0]).toMatchObject({ kind: 'call', fn: 'SCardConnect', rc: 'SCARD_S_SUCCESS' });
      expect(trace.at(-1)).toMatchObject({ kind: 'call', fn: 'SCardDisconnect', rc: 'SCARD_S_SUCCESS' });
      const text = trace.map((e) => formatTraceEvent(e, 0)).join('\n');
      expect(text).toContain('SELECT SSSE by name: SW 611B');
      expect(text).toContain('READ RECORD 07: SW 9000 (OK)');
      expect(text).not.toContain(toHex(new TextEncoder().encode('420302198503120017')).slice(0, 12).replace(/(..)(?!$)/g, '$1 '));
    } finally { await reader.close(); }
  });

  test('a named reader: the card in slot 1 (a 1.00 card: 6Cxx and 6A83 answers) is read there, not from slot 0', async () => {
    const reader = createPcscCardReader({ reader: rig.readerNames.slot1 });
    try {
      expect(await reader.readCard()).toMatchObject({ ok: false, error: 'NO_CARD' });
      await withCard(reader, vpcd('chuxiong-active', 'slot1'), 'slot1', async () => {
        expect(await reader.readCard()).toEqual({ ok: true, holder: expectedHolder(trainingCard('chuxiong-active')) });
      });
    } finally { await reader.close(); }
    const missing = createPcscCardReader({ reader: 'No Such Reader 00 00', settleMs: 200 });
    try {
      expect(await missing.readCard()).toMatchObject({ ok: false, error: 'READER_DISCONNECTED', message: expect.stringContaining(rig.readerNames.slot0) });
    } finally { await missing.close(); }
  });

  test('3rd generation: PSAM_REQUIRED without a PSAM; read in full when the card is open', async () => {
    const reader = createPcscCardReader();
    try {
      await withCard(reader, vpcd('nanchang-active'), 'slot0', async () => {
        const outcome = await reader.readCard();
        expect(outcome).toMatchObject({ ok: false, error: 'PSAM_REQUIRED', message: expect.stringContaining('3rd-generation') });
        expect(outcome).not.toHaveProperty('holder');
      });
      await withCard(reader, vpcd('nanchang-active', 'slot0', [], true), 'slot0', async () => {
        expect(await reader.readCard()).toEqual({ ok: true, holder: expectedHolder(trainingCard('nanchang-active')) });
      });
    } finally { await reader.close(); }
  });

  test('an unknown CPU card: NOT_SSCARD', async () => {
    const reader = createPcscCardReader();
    try {
      await withCard(reader, new VpcdCard(new ForeignCpuCard(), { port: rig.ports.slot0 }), 'slot0', async () => {
        expect(await reader.readCard()).toMatchObject({ ok: false, error: 'NOT_SSCARD', message: expect.stringContaining('6A82') });
      });
    } finally { await reader.close(); }
  });

  test('card pulled mid-read: CARD_REMOVED, nothing half-read; the next card reads', async () => {
    const reader = createPcscCardReader();
    try {
      const card = vpcd('jincheng-active', 'slot0', [{ kind: 'pull-at-apdu', n: 8 }]);
      await card.insert();
      await slotIs(reader, rig.readerNames.slot0, 'present');
      const outcome = await within(10_000, reader.readCard());
      expect(outcome).toMatchObject({ ok: false, error: 'CARD_REMOVED' });
      await slotIs(reader, rig.readerNames.slot0, 'absent');
      await withCard(reader, vpcd('jincheng-active'), 'slot0', async () => {
        expect(await reader.readCard()).toEqual({ ok: true, holder: expectedHolder(trainingCard('jincheng-active')) });
      });
    } finally { await reader.close(); }
  });

  test('a card answering garbage (no status word): LINK_CHECKSUM, no holder', async () => {
    const reader = createPcscCardReader();
    try {
      await withCard(reader, vpcd('shiyan-active', 'slot0', [{ kind: 'garbage-from-apdu', n: 4 }]), 'slot0', async () => {
        expect(await reader.readCard()).toMatchObject({ ok: false, error: 'LINK_CHECKSUM', message: expect.stringContaining('without a status word') });
      });
    } finally { await reader.close(); }
  });

  test('the service dies mid-read (reader gone): READER_DISCONNECTED at once; once it is back the same reader object reads again', async () => {
    const reader = createPcscCardReader();
    const card = vpcd('shiyan-active', 'slot0', [{ kind: 'slow', ms: 150 }]);
    try {
      await card.insert();
      await slotIs(reader, rig.readerNames.slot0, 'present');
      const reading = reader.readCard();
      await new Promise((resolve) => setTimeout(resolve, 400));
      await rig.kill();
      const outcome = await within(8000, reading);
      expect(outcome.ok).toBe(false);
      // Under load the read may still be connecting when the daemon dies: then the monitor has
      // already seen the service go and says so (PORT_UNAVAILABLE "not running"), equally clear.
      if (!outcome.ok) expect(['READER_DISCONNECTED', 'CARD_REMOVED', 'PORT_UNAVAILABLE']).toContain(outcome.error);
      if (!outcome.ok && outcome.error === 'PORT_UNAVAILABLE') expect(outcome.message).toContain('not running');
      card.remove();
      expect(await within(5000, reader.readCard())).toMatchObject({ ok: false, error: 'PORT_UNAVAILABLE', message: expect.stringContaining('not running') });
      await rig.restart();
      await withCard(reader, vpcd('shiyan-active'), 'slot0', async () => {
        expect(await reader.readCard()).toEqual({ ok: true, holder: expectedHolder(trainingCard('shiyan-active')) });
      });
    } finally {
      card.remove();
      await reader.close();
      // A failed assertion above must not leave the daemon dead for the tests after this one.
      if (!rig.alive) await rig.restart();
    }
  });

  test('the CLI: `list` shows the PC/SC readers, `read --kind pcsc` prints the holder, `trace --kind pcsc` the APDUs', async () => {
    const env = { PCSCLITE_CSOCK_NAME: rig.socket };
    const list = await runCardCli(['list'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).pcsc).toEqual({ unavailable: null, readers: [
      { name: rig.readerNames.slot0, card: 'absent', atr: null, contactless: false },
      { name: rig.readerNames.slot1, card: 'absent', atr: null, contactless: false },
    ] });
    const reader = createPcscCardReader();
    try {
      await withCard(reader, vpcd('jincheng-active', 'slot1'), 'slot1', async () => {
        const read = await runCardCli(['read', '--kind', 'pcsc'], env);
        expect(read.code).toBe(0);
        expect(JSON.parse(read.stdout)).toEqual(expectedHolder(trainingCard('jincheng-active')));
        const trace = await runCardCli(['trace', '--kind', 'pcsc', '--reader', rig.readerNames.slot1], env);
        expect(trace.code).toBe(0);
        expect(trace.stdout).toMatch(/host→card {4}00 A4 04 00 0F .*SELECT SSSE by name/);
        expect(trace.stdout).toContain('SCardConnect');
        expect(JSON.parse(trace.stdout.trim().split('\n').at(-1)!).ssn).toBe('140502********0035');
      });
    } finally { await reader.close(); }
    const none = await runCardCli(['read', '--kind', 'pcsc'], env);
    expect(none.code).toBe(3);
    expect(JSON.parse(none.stdout)).toMatchObject({ error: 'NO_CARD' });
  });
});
