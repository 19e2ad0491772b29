import { describe, expect, it } from 'vitest';
import { Foreground } from '../../../electron/backend/foreground';

describe('Foreground', () => {
  it('is idle at once when nothing is in flight', async () => {
    const fg = new Foreground();
    await expect(fg.idle()).resolves.toBeUndefined();
  });

  it('waits until the last request in flight ends (ending twice counts once)', async () => {
    const fg = new Foreground();
    const a = fg.enter();
    const b = fg.enter();
    let idle = false;
    const waiting = fg.idle().then(() => { idle = true; });
    a();
    a();
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    expect(fg.busy).toBe(true);
    b();
    await waiting;
    expect(idle).toBe(true);
    expect(fg.busy).toBe(false);
  });

  it('never waits longer than its cap (background work is delayed, not starved)', async () => {
    const fg = new Foreground(30);
    fg.enter();
    const start = Date.now();
    await fg.idle();
    expect(Date.now() - start).toBeLessThan(1_000);
    expect(fg.busy).toBe(true);
  });
});
