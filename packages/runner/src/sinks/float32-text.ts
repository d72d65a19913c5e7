const f32 = new Float32Array(1);
const bits = new Uint32Array(f32.buffer);
/** 10^(i − 60): powers of ten as doubles (exact up to 10^22; a product's error is covered below). */
const POWERS = Array.from({ length: 120 }, (_, i) => Number(`1e${i - 60}`));
const ZEROS = ['', '0', '00', '000', '0000', '00000'];

/**
 * The shortest decimal that reads back (as float32) to `value`, a finite float32, in JavaScript's
 * number syntax (valid JSON): 0.1 rather than 0.10000000149011612. For p = 1 … 9 digits it takes
 * the p-digit decimal nearest to the value and keeps it if it lies inside the float32's rounding
 * interval (the midpoints to its neighbours, computed exactly in float64); where the float64
 * products leave that in doubt it parses the candidate back. −0 is written 0.
 */
export function float32Text(value: number): string {
  if (value === 0) return '0';
  const a = value < 0 ? -value : value;
  f32[0] = a;
  const own = bits[0];
  bits[0] = own + 1;
  const next = f32[0];
  bits[0] = own - 1;
  const previous = f32[0];
  const low = (a + previous) / 2;
  const high = next === Infinity ? a + (a - previous) / 2 : (a + next) / 2;
  let k = -Math.floor(Math.log10(a)); // a · 10^k has 1 digit before the point (or 2, near powers of ten)
  for (let p = 1; p <= 9; p++, k++) {
    const scale = POWERS[k + 60];
    const m = Math.round(a * scale);
    const l = low * scale;
    const h = high * scale;
    if (!(m > l && m < h)) continue;
    const margin = 1e-14 * m;
    if (!(m - l > margin && h - m > margin) && Math.fround(Number(`${m}e${-k}`)) !== a) continue;
    const text = decimalText(String(m), k);
    return value < 0 ? '-' + text : text;
  }
  return String(value);
}

/** The integer `digits` × 10^−k as JavaScript prints numbers (no trailing zeros, exponent beyond 1e21 and below 1e-6). */
function decimalText(integer: string, k: number): string {
  let end = integer.length;
  while (end > 1 && integer.charCodeAt(end - 1) === 48) end--;
  const digits = end === integer.length ? integer : integer.slice(0, end);
  const n = integer.length - k; // the decimal point's position after the first digit of `digits`
  const count = digits.length;
  if (n <= 0 && n > -6) return '0.' + ZEROS[-n] + digits;
  if (n > 0 && n < count) return digits.slice(0, n) + '.' + digits.slice(n);
  if (n >= count && n <= 21) return digits + '0'.repeat(n - count);
  const exponent = n - 1;
  return (count === 1 ? digits : digits[0] + '.' + digits.slice(1)) + (exponent < 0 ? 'e-' : 'e+') + Math.abs(exponent);
}
