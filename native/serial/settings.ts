// Per-terminal reader settings (SettingsStore key 'reader'), and the factory that turns them into a
// CardReaderPort: the serial driver, or the virtual reader when none is configured.
import { z } from 'zod';
import { type SessionCardReader } from '../../core/reader/card-reader';
import { type SessionOptions } from '../../core/reader/session';
import { createVirtualReader, type VirtualReader } from '../reader-sim/virtual';
import { type SettingsStore } from '../store/settings';
import { createSerialCardReader } from './serial-reader';

export const READER_SETTINGS_KEY = 'reader';
export const SUPPORTED_BAUDS = [9600, 19200, 38400, 57600, 115200] as const;

export const ReaderSettings = z.discriminatedUnion('model', [
  z.object({
    /** A reader speaking the reference protocol (shared/specs/reader-protocol.md) on a serial port. */
    model: z.literal('reference-serial'),
    port: z.string().min(1).max(200),
    baud: z.literal([...SUPPORTED_BAUDS]),
  }),
  z.object({ model: z.literal('virtual') }),
]);
export type ReaderSettings = z.infer<typeof ReaderSettings>;

export function loadReaderSettings(store: SettingsStore, terminalId: string): ReaderSettings | undefined {
  return store.get(terminalId, READER_SETTINGS_KEY, ReaderSettings);
}

/** Validates before writing; a bad value (naming the field) never replaces a good one. */
export function saveReaderSettings(store: SettingsStore, terminalId: string, value: unknown): ReaderSettings {
  return store.set(terminalId, READER_SETTINGS_KEY, ReaderSettings, value);
}

export interface ConfiguredReader {
  readonly port: SessionCardReader;
  /** Set when the virtual reader was chosen (training mode inserts cards through it). */
  readonly virtual: VirtualReader | null;
}

export function readerFromSettings(settings: ReaderSettings | undefined, options: SessionOptions = {}): ConfiguredReader {
  if (settings?.model === 'reference-serial') {
    return { port: createSerialCardReader({ ...options, path: settings.port, baud: settings.baud }), virtual: null };
  }
  const virtual = createVirtualReader({ ...options, card: null });
  return { port: virtual.port, virtual };
}
