// The shell's log: <userData>/logs/shell.log, rotated at a size limit, with the backend's output
// folded in. ID-card and phone numbers are masked before anything reaches the disk.
import { join } from 'node:path';

/** 18-digit resident ID (last character may be X) and mainland mobile numbers, masked in the middle. */
export function redact(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])/g, '$1**********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

export interface LogFs {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  appendFileSync(path: string, text: string): void;
  statSync(path: string, options: { throwIfNoEntry: false }): { size: number } | undefined;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: true }): void;
}

export interface LogOptions {
  readonly dir: string;
  readonly fs: LogFs;
  readonly now: () => Date;
  readonly maxBytes?: number;
  /** Rotated files kept: shell.log.1 … shell.log.<keep>. */
  readonly keep?: number;
  /** Also echo to the console (development). */
  readonly echo?: (line: string) => void;
}

export type Logger = (source: string, text: string) => void;

export function createLogger(options: LogOptions): Logger {
  const file = join(options.dir, 'shell.log');
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  options.fs.mkdirSync(options.dir, { recursive: true });

  const rotateIfFull = (): void => {
    const size = options.fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (size < maxBytes) return;
    options.fs.rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i -= 1) {
      if (options.fs.statSync(`${file}.${i}`, { throwIfNoEntry: false })) options.fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    options.fs.renameSync(file, `${file}.1`);
  };

  return (source, text) => {
    const lines = redact(text).split(/\r?\n/).filter((line) => line.trim() !== '');
    if (lines.length === 0) return;
    const stamp = options.now().toISOString();
    const block = lines.map((line) => `${stamp} [${source}] ${line}\n`).join('');
    try {
      rotateIfFull();
      options.fs.appendFileSync(file, block);
    } catch {
      // A full or read-only disk must not take the shell down; the console still gets the line.
    }
    options.echo?.(block.trimEnd());
  };
}
