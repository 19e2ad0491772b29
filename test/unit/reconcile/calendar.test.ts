import { describe, expect, test } from 'vitest';
import { addDays, Calendar, closeRefusal, daysBetween } from '../../../core/reconcile/calendar';

describe('calendar', () => {
  test('days step across month and year ends, and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
    expect(() => addDays('not a day', 1)).toThrow(/not a day/);
  });

  test('a change to a closed day lands on the first open day on or after it', () => {
    const calendar = new Calendar(['2026-06-01', '2026-06-02', '2026-06-04']);
    expect(calendar.firstOpenOnOrAfter('2026-05-31')).toBe('2026-05-31');
    expect(calendar.firstOpenOnOrAfter('2026-06-01')).toBe('2026-06-03');
    expect(calendar.firstOpenOnOrAfter('2026-06-04')).toBe('2026-06-05');
    expect(calendar.feedingDays('2026-06-03')).toEqual({ from: '2026-06-01', to: '2026-06-03' });
    expect(calendar.feedingDays('2026-06-01')).toEqual({ from: '2026-06-01', to: '2026-06-01' });
  });

  test('a day may be closed once, and not before it has come', () => {
    const calendar = new Calendar(['2026-06-01']);
    expect(closeRefusal('2026-06-01', '2026-06-05', calendar)?.code).toBe('DAY_CLOSED');
    expect(closeRefusal('2026-06-06', '2026-06-05', calendar)?.code).toBe('DAY_IN_FUTURE');
    expect(closeRefusal('2026-06-05', '2026-06-05', calendar)).toBeNull();
    expect(closeRefusal('2026-05-20', '2026-06-05', calendar)).toBeNull();
  });
});
