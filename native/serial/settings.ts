// Per-terminal reader settings (SettingsStore key 'reader'), and the factory that turns them into a
// CardReaderPort: the serial, PC/SC or vendor-library driver, or the virtual reader when none is configured.
import { z } from 'zod';
import { type CardReaderPort } from '../../core/card/port';
import { createPcscCardReader } from '../pcsc/pcsc-reader';
import { createLibraryCardReader } from '../sscard-lib/library-reader';
import { type SessionOptions } from '../../core/reader/session';
import { createVirtualReader, type VirtualReader } from '../reader-sim/virtual';
import { type SettingsStore } from '../store/settings';
import { createSerialCardReader } from './serial-reader';

export const READER_SETTINGS_KEY = 'reader';
export type ReaderKind = 'serial' | 'pcsc' | 'library' | 'virtual';
export const SUPPORTED_BAUDS = [9600, 19200, 38400, 57600, 115200] as const;

export const ReaderSettings = z.discriminatedUnion('model', [
  z.object({
    /** A reader speaking the reference protocol (shared/specs/reader-protocol.md) on a serial port. */
    model: z.literal('reference-serial'),
    port: z.string().min(1).max(200),
    baud: z.literal([...SUPPORTED_BAUDS]),
  }),
  z.object({
    /** A PC/SC (CCID) reader; `reader` is the PC/SC reader name, or null for the one holding a card. */
    model: z.literal('pcsc'),
    reader: z.string().min(1).max(200).nullable(),
  }),
  z.object({
    /** The vendor's implementation of the standard 社保卡 reader interface (iReadCardBas). */
    model: z.literal('library'),
    path: z.string().min(1).max(500),
    convention: z.enum(['stdcall', 'cdecl']),
    mode: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
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
  readonly port: CardReaderPort;
  /** Which driver: every kind sits behind the same port; the bench shows each in its own terms. */
  readonly kind: ReaderKind;
  /** Set when the virtual reader was chosen (training mode inserts cards through it). */
  readonly virtual: VirtualReader | null;
}

export function readerFromSettings(settings: ReaderSettings | undefined, options: SessionOptions = {}): ConfiguredReader {
  switch (settings?.model) {
    case 'reference-serial':
      return { kind: 'serial', port: createSerialCardReader({ ...options, path: settings.port, baud: settings.baud }), virtual: null };
    case 'pcsc':
      return { kind: 'pcsc', port: createPcscCardReader({ reader: settings.reader, trace: options.trace }), virtual: null };
    case 'library':
      return { kind: 'library', port: createLibraryCardReader({ path: settings.path, convention: settings.convention, mode: settings.mode, timeoutMs: settings.timeoutMs, trace: options.trace }), virtual: null };
    default: {
      const virtual = createVirtualReader({ ...options, card: null });
      return { kind: 'virtual', port: virtual.port, virtual };
    }
  }
}
