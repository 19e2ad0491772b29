// A USB scanner in keyboard-wedge mode "types" the code and presses Enter, much faster than a
// person. The UI feeds key events here (KeyboardEvent.key and .timeStamp); a fast burst of printable
// keys ended by Enter is a scan, anything slower is a person typing and is left alone.
export interface WedgeKey {
  /** KeyboardEvent.key: one character, or a name such as "Enter" or "Shift". */
  readonly key: string;
  /** KeyboardEvent.timeStamp (ms). */
  readonly at: number;
}

export interface WedgeOptions {
  /** Largest gap between two keys of one scan. */
  readonly maxGapMs?: number;
  /** Fewer characters than this before Enter is a person (or a barcode we do not want). */
  readonly minLength?: number;
  readonly maxLength?: number;
}

export class KeyboardWedgeDetector {
  private chars: string[] = [];
  private lastAt = -Infinity;
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;

  constructor(options: WedgeOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 50;
    this.minLength = options.minLength ?? 8;
    this.maxLength = options.maxLength ?? 1024;
  }

  /** Returns the scanned text when `key` completes a scan, otherwise null. */
  feed(key: WedgeKey): string | null {
    const gap = key.at - this.lastAt;
    this.lastAt = key.at;
    if (gap > this.maxGapMs || gap < 0) this.chars = [];
    if (key.key === 'Enter') {
      const text = this.chars.length >= this.minLength ? this.chars.join('') : null;
      this.chars = [];
      return text;
    }
    // Modifier and navigation keys (Shift for capitals, etc.) neither add text nor break a burst.
    if ([...key.key].length !== 1) return null;
    if (this.chars.length >= this.maxLength) { this.chars = []; return null; }
    this.chars.push(key.key);
    return null;
  }

  reset(): void {
    this.chars = [];
    this.lastAt = -Infinity;
  }
}
