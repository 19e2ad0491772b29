// Business dates are Asia/Shanghai calendar days. China keeps UTC+8 all year (no daylight saving),
// so a fixed offset is exact and needs no time-zone database.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export function businessDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as Shanghai wall-clock time, "2026-11-24 01:53:57", for receipts and reports. */
export function shanghaiDateTime(iso: string): string {
  return new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The UTC instants [start, end) of a Shanghai business date. */
export function businessDayRange(date: string): { start: string; end: string } {
  const start = new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
  return { start: start.toISOString(), end: new Date(start.getTime() + 86_400_000).toISOString() };
}

/** Mask an ID number for display and logs: keep the first 6 and last 4 characters. */
export function maskIdNumber(id: string): string {
  return id.length <= 10 ? '*'.repeat(id.length) : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** Mask a name for logs: keep the family name only (张三 → 张*). */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
