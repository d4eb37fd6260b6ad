/**
 * Lexical and calendar checks of the XSD date/time types the metamodel allows (DataTypeDefXsd): xs:date,
 * xs:dateTime, xs:time, xs:gYear, xs:gYearMonth, xs:gMonth, xs:gMonthDay, xs:gDay, and the metamodel's own
 * `DateTimeUtc` (BasicEventElement.lastUpdate, EventPayload.timeStamp).
 *
 * Year numbering follows XSD 1.0, as the aas-core test data (our ground truth) does: there is no year 0000 in
 * a date or dateTime, and `-0001` is 1 BCE, a leap year (so `-0001-02-29` and `-0005-02-29` exist but
 * `-0004-02-29` does not). XSD 1.1 would call 0000 the year 1 BCE instead; the test data rejects
 * `0000-01-02`. The g* types have no day arithmetic on years, so `0000` passes there (as in the test data).
 */

/** Time zone: `Z` or ±hh:mm within ±14:00. */
const TIME_ZONE = '(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))';
/** Four or more digits; more than four only without a leading zero. */
const YEAR = '-?(?:[1-9]\\d{3,}|0\\d{3})';
/** hh:mm:ss with optional fraction, or the end-of-day 24:00:00. */
const TIME_OF_DAY = '(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?|24:00:00(?:\\.0+)?)';

const DATE = new RegExp(`^(${YEAR})-(\\d\\d)-(\\d\\d)${TIME_ZONE}?$`);
const DATE_TIME = new RegExp(`^(${YEAR})-(\\d\\d)-(\\d\\d)T${TIME_OF_DAY}${TIME_ZONE}?$`);
const DATE_TIME_UTC = new RegExp(`^(${YEAR})-(\\d\\d)-(\\d\\d)T${TIME_OF_DAY}(?:Z|[+-]00:00)$`);
const TIME = new RegExp(`^${TIME_OF_DAY}${TIME_ZONE}?$`);
const G_YEAR = new RegExp(`^${YEAR}${TIME_ZONE}?$`);
const G_YEAR_MONTH = new RegExp(`^${YEAR}-(?:0[1-9]|1[0-2])${TIME_ZONE}?$`);
const G_MONTH = new RegExp(`^--(?:0[1-9]|1[0-2])${TIME_ZONE}?$`);
const G_MONTH_DAY = new RegExp(`^--(\\d\\d)-(\\d\\d)${TIME_ZONE}?$`);
const G_DAY = new RegExp(`^---(?:0[1-9]|[12]\\d|3[01])${TIME_ZONE}?$`);

/** Days per month, February with its leap-year maximum (the caller checks Feb 29 against the year). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const ZERO_YEAR = /^-?0+$/;

/** Gregorian leap year of an XSD 1.0 year (negative years shifted by one: -0001 is astronomical year 0). */
export function isLeapYear(yearText: string): boolean {
  if (yearText.length <= 15) {
    const year = Number(yearText);
    const astronomical = year < 0 ? year + 1 : year;
    return astronomical % 4 === 0 && (astronomical % 100 !== 0 || astronomical % 400 === 0);
  }
  // BigInt: the lexical space has no upper bound on the year (test data uses 50-digit years).
  const year = BigInt(yearText);
  const astronomical = year < 0n ? year + 1n : year;
  return astronomical % 4n === 0n && (astronomical % 100n !== 0n || astronomical % 400n === 0n);
}

/** Whether month/day exist in the given year; the month and day texts are two digits. */
function isCalendarDate(yearText: string, monthText: string, dayText: string): boolean {
  if (ZERO_YEAR.test(yearText)) return false;
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > DAYS_IN_MONTH[month - 1]) return false;
  if (month === 2 && day === 29) return isLeapYear(yearText);
  return true;
}

function matchesCalendarDate(pattern: RegExp, text: string): boolean {
  const m = pattern.exec(text);
  return m !== null && isCalendarDate(m[1], m[2], m[3]);
}

export function isXsDate(text: string): boolean {
  return matchesCalendarDate(DATE, text);
}

export function isXsDateTime(text: string): boolean {
  return matchesCalendarDate(DATE_TIME, text);
}

/** The metamodel's DateTimeUtc: an xs:dateTime whose time zone is given and is UTC (Z, +00:00 or -00:00). */
export function isDateTimeUtc(text: string): boolean {
  return matchesCalendarDate(DATE_TIME_UTC, text);
}

export function isXsTime(text: string): boolean {
  return TIME.test(text);
}

export function isXsGYear(text: string): boolean {
  return G_YEAR.test(text);
}

export function isXsGYearMonth(text: string): boolean {
  return G_YEAR_MONTH.test(text);
}

export function isXsGMonth(text: string): boolean {
  return G_MONTH.test(text);
}

/** --MM-DD: the day must exist in that month of some year, so --02-29 is valid and --04-31 is not. */
export function isXsGMonthDay(text: string): boolean {
  const m = G_MONTH_DAY.exec(text);
  if (m === null) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}

export function isXsGDay(text: string): boolean {
  return G_DAY.test(text);
}
