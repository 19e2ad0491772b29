// The system clock for core/reader (core cannot use timers or performance itself).
import { performance } from 'node:perf_hooks';
import { type Clock, type TimerHandle } from '../../core/reader/link';

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer: (ms, fn) => setTimeout(fn, ms),
  clearTimer: (handle: TimerHandle) => clearTimeout(handle as NodeJS.Timeout),
};
