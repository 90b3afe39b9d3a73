// Working days are Monday to Friday, counted in UTC. Bank holidays differ between the four
// nations and are not counted as holidays here; see the README.
const DAY_MS = 24 * 60 * 60 * 1000;

function isWeekend(date: Date): boolean {
  const day = date.getUTCDay();
  return day === 0 || day === 6;
}

/** `date` moved by `days` working days (negative goes back), keeping the time of day. */
export function addWorkingDays(date: Date, days: number): Date {
  const step = days < 0 ? -1 : 1;
  let remaining = Math.abs(Math.trunc(days));
  let current = new Date(date.getTime());
  while (remaining > 0) {
    current = new Date(current.getTime() + step * DAY_MS);
    if (!isWeekend(current)) remaining -= 1;
  }
  return current;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whole and part days between two instants. */
export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}
