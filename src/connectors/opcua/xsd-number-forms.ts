/**
 * Lexical forms of numbers as XSD writes them, and the exact integer view of OPC UA's 64-bit values.
 * node-opcua carries Int64/UInt64 as `[high, low]` pairs of 32-bit words (a double cannot hold every 64-bit
 * integer), so they are assembled and split with BigInt, never through a JS number.
 */

const TWO_32 = 2n ** 32n;
const TWO_64 = 2n ** 64n;

/** `[high, low]` (or a plain safe integer) → the exact integer; `signed` reads `high` as two's complement. */
export function wordsToBigInt(value: unknown, signed: boolean): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (Array.isArray(value) && value.length === 2 && value.every((w) => typeof w === 'number')) {
    const [high, low] = value as [number, number];
    const highWord = signed ? BigInt(high | 0) : BigInt(high >>> 0);
    return highWord * TWO_32 + BigInt(low >>> 0);
  }
  return undefined;
}

/** An integer already checked to fit 64 bits → node-opcua's `[high, low]` (two's complement when negative). */
export function bigIntToWords(value: bigint): [number, number] {
  const unsigned = value < 0n ? value + TWO_64 : value;
  return [Number(unsigned / TWO_32), Number(unsigned % TWO_32)];
}

/** xs:double lexical form: INF, -INF, NaN and the shortest decimal that reads back to the same double. */
export function doubleLexical(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'INF';
  if (value === -Infinity) return '-INF';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/**
 * xs:float lexical form of a value of single precision: the fewest significant digits that round back to the
 * same float, so a Float node holding 0.1f (0.100000001490116…) reads as "0.1", as a float printer would.
 */
export function floatLexical(value: number): string {
  const single = Math.fround(value);
  if (!Number.isFinite(single) || single === 0) return doubleLexical(single);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return String(candidate);
  }
  return String(single);
}

/** xs:decimal has no exponent: a finite number written out positionally (exact for the double's value). */
export function decimalLexical(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) throw new Error(`unexpected number form ${text}`);
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = lead + fraction;
  const pointAt = 1 + Number(exponentText);
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/** An xs:decimal/xs:integer lexical value → the exact integer, or undefined when it has a non-zero fraction. */
export function decimalToBigInt(text: string): bigint | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  if (/[1-9]/.test(fraction)) return undefined;
  const magnitude = BigInt(whole === '' ? '0' : whole);
  return sign === '-' ? -magnitude : magnitude;
}
