// Which business days are closed, and where a change lands. A closed day is locked: anything learnt
// about it later is booked on the first open day on or after it, as an adjustment naming the day it
// belongs to. Days are Asia/Shanghai calendar days as YYYY-MM-DD; days never reopen.

export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`not a day: ${JSON.stringify(day)}`);
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included (empty when from > to). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

export class Calendar {
  private readonly closed: ReadonlySet<string>;

  constructor(closedDays: Iterable<string>) {
    this.closed = new Set(closedDays);
  }

  isClosed(day: string): boolean {
    return this.closed.has(day);
  }

  /** The day a change belonging to `day` is booked on. */
  firstOpenOnOrAfter(day: string): string {
    let d = day;
    while (this.closed.has(d)) d = addDays(d, 1);
    return d;
  }

  /**
   * The days whose changes are booked on the open day `day`: `day` itself and the closed days
   * immediately before it (back to the previous open day, exclusive).
   */
  feedingDays(day: string): { from: string; to: string } {
    let from = day;
    while (this.closed.has(addDays(from, -1))) from = addDays(from, -1);
    return { from, to: day };
  }
}

export type CloseRefusal =
  | { readonly code: 'DAY_CLOSED'; readonly message: string }
  | { readonly code: 'DAY_IN_FUTURE'; readonly message: string };

/** Whether the manager may close `day` today (`today` is the current business date). */
export function closeRefusal(day: string, today: string, calendar: Calendar): CloseRefusal | null {
  if (calendar.isClosed(day)) return { code: 'DAY_CLOSED', message: `${day} 已日结，不能重复日结；之后的变动记入下一个未日结的营业日` };
  if (day > today) return { code: 'DAY_IN_FUTURE', message: `${day} 尚未到来，不能日结（今天是 ${today}）` };
  return null;
}
