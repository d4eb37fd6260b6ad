/**
 * Exact reasoning about decimal numerals, so that a value is sent as a JSON number only when the number's text
 * denotes exactly the stored value (Part 1 §"Data type to value mapping", Note 1: JSON numbers lose precision).
 */

/** value = (negative ? -1 : 1) · digits · 10^exponent; digits carry no leading or trailing zeros ("" is zero). */
interface DecimalParts {
  negative: boolean;
  digits: string;
  exponent: number;
}

const NUMERAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function decompose(text: string): DecimalParts | undefined {
  const m = NUMERAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  const leading = (whole + fraction).replace(/^0+/, '');
  if (leading === '') return { negative: false, digits: '', exponent: 0 };
  const digits = leading.replace(/0+$/, '');
  return { negative: sign === '-', digits, exponent: Number(exponent) - fraction.length + (leading.length - digits.length) };
}

/** Whether two numerals (plain or with an exponent) denote the same number; zero's sign does not count. */
export function sameDecimalValue(a: string, b: string): boolean {
  const x = decompose(a);
  const y = decompose(b);
  return x !== undefined && y !== undefined && x.negative === y.negative && x.digits === y.digits && x.exponent === y.exponent;
}

/** A finite number written without exponent (xs:decimal has no exponent notation): 1e21 → "1000000000000000000000". */
export function toPlainDecimal(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  const { negative, digits, exponent } = decompose(text)!;
  const sign = negative ? '-' : '';
  if (exponent >= 0) return sign + digits + '0'.repeat(exponent);
  const point = digits.length + exponent;
  if (point > 0) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${digits}`;
}
