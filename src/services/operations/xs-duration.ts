/**
 * xs:duration (XML Schema 1.1 Part 2 §3.3.6) as used by `clientTimeoutDuration` (Part 2 OperationRequest),
 * e.g. `PT60S`, `PT1M30.5S`, `P1DT2H`. A timeout needs a length, not a calendar position, so years and months
 * count as 365 and 30 days.
 */
const DURATION = /^(-)?P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?|\.\d+)S)?)?$/;

const SECOND = 1000;
const DAY = 86_400 * SECOND;
const UNIT_MS = [365 * DAY, 30 * DAY, DAY, 3600 * SECOND, 60 * SECOND, SECOND];

/** Milliseconds of an xs:duration (negative for `-P…`), or undefined when the text is not one. */
export function parseXsDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const part = m[i + 2];
    if (part !== undefined) ms += Number(part) * UNIT_MS[i];
  }
  if (!Number.isFinite(ms)) return undefined;
  return m[1] ? -ms : ms;
}

/** `PT12.5S`-style text for a number of milliseconds (≥ 0), e.g. the remaining time passed to a delegate. */
export function formatXsDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms)) / 1000;
  return `PT${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}S`;
}
