// Centre timestamps are China Standard Time (UTC+8, no daylight saving) whatever the till's zone,
// so they are formatted from the UTC fields shifted by the offset, never from the local clock's zone.
export const CHINA_OFFSET_MINUTES = 480;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function shifted(date: Date, offsetMinutes: number): Date {
  if (Number.isNaN(date.getTime())) throw new Error('invalid date');
  return new Date(date.getTime() + offsetMinutes * 60_000);
}

/** yyyyMMddHHmmss (the time part of a msgid). */
export function formatCompact(date: Date, offsetMinutes = CHINA_OFFSET_MINUTES): string {
  const d = shifted(date, offsetMinutes);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** yyyy-MM-dd HH:mm:ss (inf_time, begntime, setl_time). */
export function formatDateTime(date: Date, offsetMinutes = CHINA_OFFSET_MINUTES): string {
  const d = shifted(date, offsetMinutes);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** yyyy-MM-dd in China time. */
export function formatDay(date: Date, offsetMinutes = CHINA_OFFSET_MINUTES): string {
  return formatDateTime(date, offsetMinutes).slice(0, 10);
}

/** yyyyMMddHHmmssSSS (refmsg_time, respond_time). */
export function formatMillis(date: Date, offsetMinutes = CHINA_OFFSET_MINUTES): string {
  return formatCompact(date, offsetMinutes) + pad(shifted(date, offsetMinutes).getUTCMilliseconds(), 3);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** True when the text is a real calendar date-time in yyyy-MM-dd HH:mm:ss. */
export function isDateTimeText(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

export function isDayText(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && isDateTimeText(`${text} 00:00:00`);
}

/** Adds whole seconds to a yyyyMMddHHmmss stamp (calendar-correct, zone-free). */
export function addSecondsToCompact(stamp: string, seconds: number): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  if (!m) throw new Error(`not a yyyyMMddHHmmss stamp: ${JSON.stringify(stamp)}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return formatCompact(new Date(Date.UTC(y, mo - 1, d, h, mi, s) + seconds * 1000), 0);
}
