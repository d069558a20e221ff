/** How the library shows the times Go writes (RFC 3339 with nanoseconds). */

/** Go writes nanoseconds; Date reads milliseconds. */
function parseTime(iso: string): number {
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
}

const ABSOLUTE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** Date and time in the user's locale; a string that is not a time is shown as it is. */
export function absoluteTime(iso: string): string {
  const t = parseTime(iso);
  return Number.isNaN(t) ? iso : ABSOLUTE.format(t);
}

/** "just now", "5 minutes ago", "yesterday"…, measured from `now` (ms); "" for a string that is not a time. */
export function relativeTime(iso: string, now: number): string {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((t - now) / 1000);
  const a = Math.abs(s);
  if (a < 45) return 'just now';
  if (a < 3600) return RELATIVE.format(Math.round(s / 60), 'minute');
  if (a < 86400) return RELATIVE.format(Math.round(s / 3600), 'hour');
  if (a < 30 * 86400) return RELATIVE.format(Math.round(s / 86400), 'day');
  if (a < 365 * 86400) return RELATIVE.format(Math.round(s / (30 * 86400)), 'month');
  return RELATIVE.format(Math.round(s / (365 * 86400)), 'year');
}

const numbers = new Intl.NumberFormat('en');

/** "1 word", "1,234 words". */
export function plural(n: number, word: string): string {
  return `${numbers.format(n)} ${word}${n === 1 ? '' : 's'}`;
}
