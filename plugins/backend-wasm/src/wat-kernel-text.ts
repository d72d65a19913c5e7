import type { SimdLanes } from './simd-lanes';

/** The code a kernel generator emits with (see WatKernelText), e.g. for a reduction. */
export interface WatCode {
  readonly lanes: SimdLanes;
  /** Weights per network (the rows' length). */
  readonly W: number;
  /** `(local.set $name value)`, declaring the v128 local. */
  assign(name: string, value: string): void;
  emit(code: string): void;
  /** The lanes' rows at `base` = locals `${name}0 …` (rounded to float32). */
  storeRows(base: string, name: string): void;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** The float32 lanes `lanes` of a ++ b (0–3 from a, 4–7 from b). */
export const shuffle32 = (a: string, b: string, lanes: readonly number[]): string => `(i8x16.shuffle ${lanes.flatMap((j) => [0, 1, 2, 3].map((i) => 4 * j + i)).join(' ')} ${a} ${b})`;

/**
 * WebAssembly text of kernels over blocks of lanes (one network a lane, rows of W stored values):
 * the function frame looping over the blocks, vector locals, and rows loaded into locals
 * (promoted) and stored back (demoted to float32), as the js kernels' reads and writes.
 */
export abstract class WatKernelText implements WatCode {
  private readonly lines: string[] = [];
  private readonly locals = new Set<string>();
  private readonly integers = new Set<string>();

  constructor(
    readonly lanes: SimdLanes,
    readonly W: number,
  ) {}

  /**
   * A function looping over blocks of lanes: `body` emits one block's code; `walked` address
   * params advance a block each (L a loss each lane). Training functions splat `lr` and `momentum`
   * into the locals `lrv` and `momentumv`.
   */
  protected func(name: string, params: string[], walked: string[], training: boolean, body: () => void): string {
    const L = this.lanes;
    this.lines.length = 0;
    this.locals.clear();
    this.integers.clear();
    if (training) ['lrv', 'momentumv'].forEach((l) => this.locals.add(l));
    body();
    const code = this.lines.join('\n');
    const advance = walked.map((p) => `(local.set $${p} (i32.add (local.get $${p}) (i32.const ${L.blockBytes})))`);
    return [
      `(func (export "${name}") ${params.map((p) => `(param $${p})`).join(' ')}`,
      [...this.locals].map((l) => `(local $${l} v128)`).join(' '),
      ...(this.integers.size > 0 ? [[...this.integers].map((l) => `(local $${l} i32)`).join(' ')] : []),
      ...(training ? [L.set('lrv', L.splat('lr')), L.set('momentumv', L.splat('momentum'))] : []),
      '(block $done (loop $next',
      '(br_if $done (i32.le_s (local.get $n) (i32.const 0)))',
      code,
      ...advance,
      ...(training ? [`(local.set $L (i32.add (local.get $L) (i32.const ${L.lanes * L.bytes})))`] : []),
      `(local.set $n (i32.sub (local.get $n) (i32.const ${L.lanes})))`,
      '(br $next)))',
      ')',
    ].join('\n');
  }

  emit(code: string): void {
    this.lines.push(code);
  }

  /** `(local.set $name value)` of an i32 local (an address or a counter), declaring it. */
  protected assignI32(name: string, value: string): void {
    this.integers.add(name);
    this.emit(`(local.set $${name} ${value})`);
  }

  /** Declares the v128 local `name` (for code that sets it itself, e.g. SimdLanes.store's scratch). */
  protected declare(name: string): void {
    this.locals.add(name);
  }

  assign(name: string, value: string): void {
    this.locals.add(name);
    this.emit(this.lanes.set(name, value));
  }

  /**
   * Locals `${name}0 …` = the lanes' rows at `base`. f64x2 lanes of float32 rows: 4 values of both
   * rows at a time (two loads, interleaved by shuffles, promoted); f32x4 lanes: 4 × 4 tiles (a
   * load per row, transposed by shuffles); the rest one value at a time.
   */
  protected loadRows(name: string, base: string): void {
    const W = this.W;
    const L = this.lanes;
    let k = 0;
    if (L.transposes) {
      for (; k + 4 <= W; k += 4) {
        for (const l of range(4)) this.assign(`r${l}`, `(v128.load offset=${(l * W + k) * 4} (local.get $${base}))`);
        this.transpose().forEach((column, j) => this.assign(`${name}${k + j}`, column));
      }
    }
    for (; k + 4 <= W && L.storage === 'f32' && !L.transposes; k += 4) {
      this.assign('ra', `(v128.load offset=${k * 4} (local.get $${base}))`);
      this.assign('rb', `(v128.load offset=${(W + k) * 4} (local.get $${base}))`);
      this.assign('lo', shuffle32('(local.get $ra)', '(local.get $rb)', [0, 4, 1, 5]));
      this.assign('hi', shuffle32('(local.get $ra)', '(local.get $rb)', [2, 6, 3, 7]));
      ['lo', 'hi'].forEach((pair, p) => {
        this.assign(`${name}${k + 2 * p}`, `(f64x2.promote_low_f32x4 (local.get $${pair}))`);
        this.assign(`${name}${k + 2 * p + 1}`, `(f64x2.promote_low_f32x4 ${shuffle32(`(local.get $${pair})`, `(local.get $${pair})`, [2, 3, 2, 3])})`);
      });
    }
    for (; k < W; k++) this.assign(`${name}${k}`, L.load(base, k));
  }

  /** The lanes' rows at `base` = locals `${name}0 …` (rounded to float32 by f64x2 lanes), in tiles as loadRows reads them, the rest one at a time. */
  storeRows(base: string, name: string): void {
    const W = this.W;
    const L = this.lanes;
    this.locals.add('scratch');
    let k = 0;
    if (L.transposes) {
      for (; k + 4 <= W; k += 4) {
        for (const l of range(4)) this.assign(`r${l}`, L.get(`${name}${k + l}`));
        this.transpose().forEach((row, l) => this.emit(`(v128.store offset=${(l * W + k) * 4} (local.get $${base}) ${row})`));
      }
    }
    const demoted = (k: number) => `(f32x4.demote_f64x2_zero (local.get $${name}${k}))`;
    for (; k + 4 <= W && L.storage === 'f32' && !L.transposes; k += 4) {
      this.assign('ra', shuffle32(demoted(k), demoted(k + 1), [0, 4, 1, 5]));
      this.assign('rb', shuffle32(demoted(k + 2), demoted(k + 3), [0, 4, 1, 5]));
      this.emit(`(v128.store offset=${k * 4} (local.get $${base}) ${shuffle32('(local.get $ra)', '(local.get $rb)', [0, 1, 4, 5])})`);
      this.emit(`(v128.store offset=${(W + k) * 4} (local.get $${base}) ${shuffle32('(local.get $ra)', '(local.get $rb)', [2, 3, 6, 7])})`);
    }
    for (; k < W; k++) this.emit(L.store(base, k, L.get(`${name}${k}`), 'scratch'));
  }

  /** The 4 columns of the 4 × 4 tile of float32 in locals r0 … r3 (as rows), through temporaries t0 … t3. */
  private transpose(): string[] {
    const get = this.lanes.get;
    this.assign('t0', shuffle32(get('r0'), get('r1'), [0, 4, 1, 5]));
    this.assign('t1', shuffle32(get('r2'), get('r3'), [0, 4, 1, 5]));
    this.assign('t2', shuffle32(get('r0'), get('r1'), [2, 6, 3, 7]));
    this.assign('t3', shuffle32(get('r2'), get('r3'), [2, 6, 3, 7]));
    return [shuffle32(get('t0'), get('t1'), [0, 1, 4, 5]), shuffle32(get('t0'), get('t1'), [2, 3, 6, 7]), shuffle32(get('t2'), get('t3'), [0, 1, 4, 5]), shuffle32(get('t2'), get('t3'), [2, 3, 6, 7])];
  }

  /** One stored value per lane at L: the local `loss` (rounded to float32 in float32 memory). */
  protected storeLoss(): void {
    const L = this.lanes;
    if (L.numerics === 'f32') for (const lane of range(L.lanes)) this.emit(`(v128.store32_lane offset=${lane * 4} ${lane} (local.get $L) (local.get $loss))`);
    else if (L.storage === 'f64') for (const lane of range(L.lanes)) this.emit(`(v128.store64_lane offset=${lane * 8} ${lane} (local.get $L) (local.get $loss))`);
    else {
      this.assign('scratch', '(f32x4.demote_f64x2_zero (local.get $loss))');
      for (const lane of range(L.lanes)) this.emit(`(v128.store32_lane offset=${lane * 4} ${lane} (local.get $L) (local.get $scratch))`);
    }
  }

  /** `a + b + c …`, left to right as in JavaScript. */
  protected sum(terms: readonly string[]): string {
    return terms.reduce((acc, t) => this.lanes.add(acc, t));
  }
}
