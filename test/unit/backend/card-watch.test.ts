import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CardReaderPort } from '../../../core/card/port';
import { watchCard } from '../../../electron/backend/card-watch';

function countingPort(): { port: CardReaderPort; polls: () => number } {
  let polls = 0;
  const port = {
    status: async () => { polls += 1; return { ok: true as const, firmware: 'TEST', card: 'present' as const }; },
  } as unknown as CardReaderPort;
  return { port, polls: () => polls };
}

describe('watchCard', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('does not poll the reader while the counter is busy, and polls again once it is not', async () => {
    vi.useFakeTimers();
    const { port, polls } = countingPort();
    let busy = true;
    const published: unknown[] = [];
    const stop = watchCard(() => port, (state) => published.push(state), { intervalMs: 1000, busy: () => busy });
    await vi.advanceTimersByTimeAsync(3500);
    expect(polls()).toBe(0);
    expect(published).toEqual([]);
    busy = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(polls()).toBe(1);
    expect(published).toEqual([{ present: true, slot: 'present', error: null }]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(polls()).toBe(3);
    expect(published).toHaveLength(1); // only changes are published
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(polls()).toBe(3);
  });
});
