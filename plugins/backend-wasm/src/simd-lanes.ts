/** The arithmetic of a wasm backend: f64x2 (the js backend's float64, bit for bit) or f32x4 (float32). */
export type Numerics = 'f64' | 'f32';

/** How the kernels' memory holds weights: float32 (srnn's populations) or float64 (any other array, exactly). */
export type Storage = 'f32' | 'f64';

/**
 * WebAssembly text for one vector type: expressions are WAT strings over vector locals, one lane
 * per network. Loads gather one weight of every lane's network from particle-major rows (lane l's
 * row at `base + l · rowBytes`), stores scatter it back, so the kernels need no transposed copy.
 */
export class SimdLanes {
  readonly vector: 'f64x2' | 'f32x4';
  readonly lanes: number;
  /** Bytes of one stored value. */
  readonly bytes: number;

  constructor(
    readonly numerics: Numerics,
    readonly storage: Storage,
    /** Stored values per network row (W). */
    readonly rowLength: number,
  ) {
    if (numerics === 'f32' && storage === 'f64') throw new Error('float32 kernels store float32');
    this.vector = numerics === 'f64' ? 'f64x2' : 'f32x4';
    this.lanes = numerics === 'f64' ? 2 : 4;
    this.bytes = storage === 'f64' ? 8 : 4;
  }

  /** Whether rows move in 4 × 4 tiles through shuffles (float32 lanes over float32 rows) rather than a value at a time. */
  get transposes(): boolean {
    return this.numerics === 'f32';
  }

  /** Bytes of one block of `lanes` rows. */
  get blockBytes(): number {
    return this.lanes * this.rowLength * this.bytes;
  }

  get = (name: string): string => `(local.get $${name})`;
  set = (name: string, value: string): string => `(local.set $${name} ${value})`;
  add = (a: string, b: string): string => `(${this.vector}.add ${a} ${b})`;
  sub = (a: string, b: string): string => `(${this.vector}.sub ${a} ${b})`;
  mul = (a: string, b: string): string => `(${this.vector}.mul ${a} ${b})`;
  div = (a: string, b: string): string => `(${this.vector}.div ${a} ${b})`;
  max = (a: string, b: string): string => `(${this.vector}.max ${a} ${b})`;
  /** 1 where a > 0, else 0 (NaN: 0), as `a > 0 ? 1 : 0`. */
  positive = (a: string): string => `(v128.and (${this.vector}.gt ${a} ${this.constant(0)}) ${this.constant(1)})`;

  /** A constant in every lane: a float64 literal of the js code, rounded to float32 for f32x4. */
  constant(value: number): string {
    const text = hexFloat(this.numerics === 'f32' ? Math.fround(value) : value);
    return `(v128.const ${this.vector}${` ${text}`.repeat(this.lanes)})`;
  }

  /** A scalar runtime value (f64 param) in every lane. */
  splat(param: string): string {
    return this.numerics === 'f64' ? `(f64x2.splat (local.get $${param}))` : `(f32x4.splat (f32.demote_f64 (local.get $${param})))`;
  }

  /** Value k of every lane's row, from the rows at `base`. */
  load(base: string, k: number): string {
    const at = (lane: number) => `offset=${(lane * this.rowLength + k) * this.bytes}`;
    if (this.storage === 'f64') return `(f64x2.replace_lane 1 (v128.load64_zero ${at(0)} (local.get $${base})) (f64.load ${at(1)} (local.get $${base})))`;
    let v = `(v128.load32_zero ${at(0)} (local.get $${base}))`;
    for (let lane = 1; lane < this.lanes; lane++) v = `(f32x4.replace_lane ${lane} ${v} (f32.load ${at(lane)} (local.get $${base})))`;
    return this.numerics === 'f64' ? `(f64x2.promote_low_f32x4 ${v})` : v;
  }

  /** Stores value k of every lane's row at `base` from `value` (a local: it is read once per lane). */
  store(base: string, k: number, value: string, scratch: string): string {
    const at = (lane: number) => `offset=${(lane * this.rowLength + k) * this.bytes}`;
    const lanes = Array.from({ length: this.lanes }, (_, lane) => lane);
    if (this.storage === 'f64') return lanes.map((l) => `(v128.store64_lane ${at(l)} ${l} (local.get $${base}) ${value})`).join('\n');
    if (this.numerics === 'f32') return lanes.map((l) => `(v128.store32_lane ${at(l)} ${l} (local.get $${base}) ${value})`).join('\n');
    // float64 results rounded to float32, as a js kernel's store into a Float32Array rounds them
    return [this.set(scratch, `(f32x4.demote_f64x2_zero ${value})`), ...lanes.map((l) => `(v128.store32_lane ${at(l)} ${l} (local.get $${base}) (local.get $${scratch}))`)].join('\n');
  }

  /** A bit per lane (lane 0 = bit 0) set where the lane of `mask` is all ones. */
  bitmask(mask: string): string {
    return `(${this.numerics === 'f64' ? 'i64x2' : 'i32x4'}.bitmask ${mask})`;
  }

  /** All ones in the lanes where x − x = 0 (x finite), as the js kernels' finiteness check. */
  finite(x: string): string {
    return `(${this.vector}.eq (${this.vector}.sub ${x} ${x}) ${this.constant(0)})`;
  }
}

/** The exact value of a double as a WAT hexadecimal float literal (no decimal rounding in the toolchain). */
export function hexFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, value);
  const sign = bits.getUint32(0) >>> 31 ? '-' : '';
  if (!Number.isFinite(value)) return `${sign}inf`;
  const exponent = (bits.getUint32(0) >>> 20) & 0x7ff;
  const mantissa = ((BigInt(bits.getUint32(0) & 0xfffff) << 32n) | BigInt(bits.getUint32(4))).toString(16).padStart(13, '0');
  if (exponent === 0) return `${sign}0x0.${mantissa}p-1022`;
  return `${sign}0x1.${mantissa}p${exponent - 1023}`;
}
