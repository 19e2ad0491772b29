// Per-terminal reader settings in a real SQLite store (key 'reader'), and the reader they yield:
// the serial driver on a pty, or the virtual reader when none is configured.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { openDatabase } from '../../../native/db/open';
import { startSerialSimulator } from '../../../native/reader-sim/serial-sim';
import { simCardFor, trainingCard } from '../../../native/reader-sim/training-cards';
import { loadReaderSettings, readerFromSettings, saveReaderSettings } from '../../../native/serial/settings';
import { storeMigrations } from '../../../native/store/migrations';
import { SettingsStore } from '../../../native/store/settings';
import { openPtyPair } from '../../support/pty';
import { expectedHolder, within } from './rig';

function store(): { settings: SettingsStore; close: () => void } {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'ybjs-reader-')), 'store.db'), storeMigrations);
  return { settings: new SettingsStore(db), close: () => db.close() };
}

test('reader settings are stored per terminal and validated, naming the bad field', () => {
  const { settings, close } = store();
  try {
    expect(loadReaderSettings(settings, 'T1')).toBeUndefined();
    saveReaderSettings(settings, 'T1', { model: 'reference-serial', port: '/dev/ttyUSB0', baud: 38400 });
    saveReaderSettings(settings, 'T2', { model: 'virtual' });
    expect(() => saveReaderSettings(settings, 'T1', { model: 'reference-serial', port: '/dev/ttyUSB0', baud: 12345 })).toThrow(/baud/);
    expect(() => saveReaderSettings(settings, 'T1', { model: 'reference-serial', port: '', baud: 9600 })).toThrow(/port/);
    expect(() => saveReaderSettings(settings, 'T1', { model: 'crt-999' })).toThrow(/model/);
    expect(loadReaderSettings(settings, 'T1')).toEqual({ model: 'reference-serial', port: '/dev/ttyUSB0', baud: 38400 });
    expect(loadReaderSettings(settings, 'T2')).toEqual({ model: 'virtual' });
  } finally {
    close();
  }
});

test('stored serial settings open the real driver; none (or virtual) gives the virtual reader', async () => {
  const pair = await openPtyPair();
  const simulator = await startSerialSimulator(pair.a, { card: simCardFor(trainingCard('jincheng-active')), baud: 9600 });
  const { settings, close } = store();
  try {
    saveReaderSettings(settings, 'T1', { model: 'reference-serial', port: pair.b, baud: 9600 });
    const serial = readerFromSettings(loadReaderSettings(settings, 'T1'));
    expect(serial.virtual).toBeNull();
    expect(await within(5000, serial.port.readCard())).toEqual({ ok: true, holder: expectedHolder(trainingCard('jincheng-active')) });
    await serial.port.close();

    const fallback = readerFromSettings(loadReaderSettings(settings, 'T-unconfigured'));
    expect(fallback.virtual).not.toBeNull();
    expect(await within(5000, fallback.port.readCard())).toMatchObject({ ok: false, error: 'NO_CARD' });
    fallback.virtual!.insert('chongqing-suspended');
    expect(await within(5000, fallback.port.readCard())).toEqual({ ok: true, holder: expectedHolder(trainingCard('chongqing-suspended')) });
    await fallback.port.close();
  } finally {
    close();
    await simulator.close();
    await pair.kill();
  }
});
