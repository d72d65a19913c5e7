import type { Activation, MlpLayout } from '@srnn/mlp';
import type { SimdLanes } from './simd-lanes';

/** An input of the first layer: a local (the weight's value) or a literal position. */
type Operand = { readonly literal: number } | { readonly local: string };

/** How `func` builds a function: `guarded` flags bad lanes; `indices` are i32 locals; `walkedBytes` address params advancing by other than a block of rows. */
interface FuncOptions {
  readonly guarded?: boolean;
  readonly indices?: readonly string[];
  readonly walkedBytes?: Readonly<Record<string, number>>;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The weightwise kernels as a WebAssembly module, vectorised across networks: each block of
 * `lanes` networks runs straight-line code for the shape — the same operations in the same order
 * as the js backend's generated code (`MlpSource` with folded constants), on vector locals. Blocks
 * whose networks have a non-finite weight or input are flagged (one byte per block, a bit per
 * lane): the js kernels' folded code does not hold for them, the caller recomputes those networks
 * with the js kernels.
 *
 * Exports `apply(n, F, I, O, flags) → flagged blocks`, `train(n, P, D, O, L, flags, lr)`,
 * `trainMomentum(n, P, D, O, L, flags, lr, momentum, M, MO)` and batch-1 epochs
 * `trainSingle(n, P, D, O, L, lr, momentum, M, MO, hasM, ORDER, Q)` over rows at byte addresses (in
 * `memory`); n is a multiple of the lane count.
 */
export class WeightwiseWat {
  private readonly W: number;
  private readonly lines: string[] = [];
  private readonly locals = new Set<string>();

  constructor(
    private readonly layout: MlpLayout,
    private readonly activation: Activation,
    /** The rows' positions [W × 3] (the kernels' batch-1 epochs gather them from a table in memory). */
    readonly positions: Float32Array,
    private readonly lanes: SimdLanes,
    /** Linear bias-free nets in float32 lanes: the closed form (see `linearRows`) instead of the layer-by-layer passes. */
    private readonly closedFormAllowed = true,
  ) {
    if (activation === 'sigmoid' || activation === 'tanh') throw new Error(`no WebAssembly kernels for ${activation} (no vector exp/tanh)`);
    this.W = layout.weightCount;
  }

  module(): string {
    const functions = [false, true].flatMap((self) => [this.applyFunction(self), this.trainFunction(false, self), this.trainFunction(true, self)]);
    return ['(module', '(memory (export "memory") 1)', ...functions, this.trainSingleFunction(), ')'].join('\n');
  }

  /** `self`: I = F (self-application), the values are the weights, loaded once. */
  private applyFunction(self: boolean): string {
    const L = this.lanes;
    return this.func(self ? 'applySelf' : 'apply', ['n i32', 'F i32', 'I i32', 'O i32', 'flags i32'], self ? ['F', 'O'] : ['F', 'I', 'O'], () => {
      this.loadRows('w', 'F');
      if (self) for (const k of range(this.W)) this.assign(`v${k}`, L.get(`w${k}`));
      else this.loadRows('v', 'I');
      this.guard(self);
      if (this.closedForm) {
        const u = this.composite();
        for (const r of range(this.W)) this.assign(`o${r}`, this.linearRow(u, r));
      } else {
        for (const r of range(this.W)) this.assign(`o${r}`, L.get(this.forward(this.rowInputs(r))));
      }
      this.storeRows('O', 'o');
    });
  }

  /** `self`: D = P (self-training), the data are the weights, loaded once. */
  private trainFunction(withMomentum: boolean, self: boolean): string {
    const L = this.lanes;
    const W = this.W;
    const params = ['n i32', 'P i32', 'D i32', 'O i32', 'L i32', 'flags i32', 'lr f64', ...(withMomentum ? ['momentum f64', 'M i32', 'MO i32'] : [])];
    const walked = ['P', ...(self ? [] : ['D']), 'O', ...(withMomentum ? ['M', 'MO'] : [])];
    return this.func(`train${withMomentum ? 'Momentum' : ''}${self ? 'Self' : ''}`, params, walked, () => {
      this.loadRows('w', 'P');
      if (self) for (const k of range(W)) this.assign(`v${k}`, L.get(`w${k}`));
      else this.loadRows('v', 'D');
      this.guard(self);
      if (withMomentum) this.loadRows('m', 'M');
      if (this.closedForm) this.linearGradients();
      else {
        for (const k of range(W)) this.assign(`g${k}`, L.constant(0));
        this.assign('loss', L.constant(0));
        for (const r of range(W)) {
          const inputs = this.rowInputs(r);
          const output = this.forward(inputs);
          this.assign('e', L.sub(L.get(output), L.get(`v${r}`)));
          this.assign('loss', L.add(L.get('loss'), L.mul(L.get('e'), L.get('e'))));
          this.backward(L.mul(L.constant(2 / W), L.get('e')), inputs);
        }
      }
      for (const k of range(W)) {
        if (withMomentum) {
          this.assign(`m${k}`, L.add(L.mul(L.splat('momentum'), L.get(`m${k}`)), L.get(`g${k}`)));
          this.assign(`w${k}`, L.sub(L.get(`w${k}`), L.mul(L.splat('lr'), L.get(`m${k}`))));
        } else {
          this.assign(`w${k}`, L.sub(L.get(`w${k}`), L.mul(L.splat('lr'), L.get(`g${k}`))));
        }
      }
      this.storeRows('O', 'w');
      if (withMomentum) this.storeRows('MO', 'm');
      this.assign('loss', L.div(L.get('loss'), L.constant(W)));
      // one loss per network, stored like a row of one value
      this.emit(this.lossStore());
    });
  }

  /**
   * One epoch of single-row SGD steps per network, as the js kernels' batch-1 code (`MlpSource`
   * unfolded, gradient 2e, the momentum update every step, m from M where `hasM` else 0): each lane
   * in its own order (int32 [lanes × W] at ORDER). Step t gathers lane j's row order[j][t] — its
   * value from the lane's data row, which the epoch does not write (results go to O, MO), its
   * positions from the table at Q ([W × 3] values) — so no product is folded and no finiteness
   * guard is needed: NaN and ∞ spread as in the js code. Losses (the epoch's mean e²) into L.
   */
  private trainSingleFunction(): string {
    const L = this.lanes;
    const W = this.W;
    const lanes = range(L.lanes);
    const params = ['n i32', 'P i32', 'D i32', 'O i32', 'L i32', 'lr f64', 'momentum f64', 'M i32', 'MO i32', 'hasM i32', 'ORDER i32', 'Q i32'];
    const indices = ['t', ...lanes.flatMap((j) => [`q${j}`, `p${j}`])];
    return this.func('trainSingle', params, ['P', 'D', 'O', 'M', 'MO'], { guarded: false, indices, walkedBytes: { ORDER: L.lanes * W * 4 } }, () => {
      this.loadRows('w', 'P');
      this.emit('(if (local.get $hasM) (then');
      this.loadRows('m', 'M');
      this.emit(') (else');
      for (const k of range(W)) this.assign(`m${k}`, L.constant(0));
      this.emit('))');
      this.assign('loss', L.constant(0));
      this.emit('(local.set $t (i32.const 0))');
      this.emit('(loop $step');
      const shift = Math.log2(L.bytes);
      for (const j of lanes) {
        // $t counts bytes of the order; q_j = row r_j's byte offset in a row, p_j the address of its positions
        this.emit(`(local.set $q${j} (i32.shl (i32.load offset=${j * W * 4} (i32.add (local.get $ORDER) (local.get $t))) (i32.const ${shift})))`);
        this.emit(`(local.set $p${j} (i32.add (local.get $Q) (i32.mul (local.get $q${j}) (i32.const 3))))`);
      }
      this.assign('x0', this.gathered(lanes.map((j) => this.scalar(`(i32.add (local.get $D) (local.get $q${j}))`, j * W * L.bytes))));
      for (const c of [1, 2, 3]) this.assign(`x${c}`, this.gathered(lanes.map((j) => this.scalar(`(local.get $p${j})`, (c - 1) * L.bytes))));
      const inputs: Operand[] = range(4).map((c) => ({ local: `x${c}` }));
      for (const k of range(W)) this.assign(`g${k}`, L.constant(0));
      const output = this.forward(inputs);
      this.assign('e', L.sub(L.get(output), L.get('x0')));
      this.assign('loss', L.add(L.get('loss'), L.mul(L.get('e'), L.get('e'))));
      this.backward(L.mul(L.constant(2), L.get('e')), inputs);
      for (const k of range(W)) {
        this.assign(`m${k}`, L.add(L.mul(L.splat('momentum'), L.get(`m${k}`)), L.get(`g${k}`)));
        this.assign(`w${k}`, L.sub(L.get(`w${k}`), L.mul(L.splat('lr'), L.get(`m${k}`))));
      }
      this.emit('(local.set $t (i32.add (local.get $t) (i32.const 4)))');
      this.emit(`(br_if $step (i32.lt_u (local.get $t) (i32.const ${W * 4}))))`);
      this.storeRows('O', 'w');
      this.emit('(if (local.get $hasM) (then');
      this.storeRows('MO', 'm');
      this.emit('))');
      this.assign('loss', L.div(L.get('loss'), L.constant(W)));
      this.emit(this.lossStore());
    });
  }

  /** A stored value (float32 or float64 as the storage) at `address` + `offset`, as a scalar of the lanes' type. */
  private scalar(address: string, offset: number): string {
    const L = this.lanes;
    if (L.storage === 'f64') return `(f64.load offset=${offset} ${address})`;
    const value = `(f32.load offset=${offset} ${address})`;
    return L.numerics === 'f64' ? `(f64.promote_f32 ${value})` : value;
  }

  /** A vector of one scalar per lane. */
  private gathered(scalars: readonly string[]): string {
    const vector = this.lanes.vector;
    return scalars.slice(1).reduce((v, s, j) => `(${vector}.replace_lane ${j + 1} ${v} ${s})`, `(${vector}.splat ${scalars[0]})`);
  }

  /** Whether the closed form applies: float32 lanes (no bits to keep), linear, no bias. */
  get closedForm(): boolean {
    return this.closedFormAllowed && this.lanes.numerics === 'f32' && this.activation === 'linear' && !this.layout.bias;
  }

  /** The locals of `F_l` = W_{l-1}⋯W_0 (in_l × 4, the map from a row's inputs to layer l's inputs), as WAT expressions; F_0 = I. */
  private prefixes(): string[][][] {
    const L = this.lanes;
    const layers = this.layout.layers;
    const identity = range(4).map((i) => range(4).map((j) => (i === j ? '1' : '0')));
    const prefixes: string[][][] = [identity];
    layers.forEach((layer, l) => {
      if (l === layers.length - 1) return;
      const previous = prefixes[l];
      prefixes.push(
        range(layer.outputs).map((o) =>
          range(4).map((j) => {
            const terms = range(layer.inputs)
              .map((i) => (previous[i][j] === '0' ? '' : previous[i][j] === '1' ? L.get(`w${this.layout.weightIndex(l, o, i)}`) : L.mul(L.get(`w${this.layout.weightIndex(l, o, i)}`), previous[i][j])))
              .filter((t) => t !== '');
            if (terms.length === 0) return '0';
            this.assign(`f${l + 1}_${o}_${j}`, this.sum(terms));
            return L.get(`f${l + 1}_${o}_${j}`);
          }),
        ),
      );
    });
    return prefixes;
  }

  /** u = W_L⋯W_1 (the net is x ↦ u·x) into locals u0 … u3; returns the prefixes F_l. */
  private composite(): string[][][] {
    const L = this.lanes;
    const prefixes = this.prefixes();
    const last = this.layout.layers.length - 1;
    const F = prefixes[last];
    const layer = this.layout.layers[last];
    for (const j of range(4)) {
      const terms = range(layer.inputs)
        .map((i) => (F[i][j] === '0' ? '' : F[i][j] === '1' ? L.get(`w${this.layout.weightIndex(last, 0, i)}`) : L.mul(L.get(`w${this.layout.weightIndex(last, 0, i)}`), F[i][j])))
        .filter((t) => t !== '');
      this.assign(`u${j}`, this.sum(terms));
    }
    return prefixes;
  }

  /** Row r's output u·x_r, x_r = [v_r, positions] (products with literal 0 and 1 folded). */
  private linearRow(_prefixes: unknown, r: number): string {
    const L = this.lanes;
    const terms = this.rowInputs(r).map((input, j) =>
      'local' in input ? L.mul(L.get(`u${j}`), L.get(input.local)) : input.literal === 0 ? '' : input.literal === 1 ? L.get(`u${j}`) : L.mul(L.get(`u${j}`), L.constant(input.literal)),
    );
    return this.sum(terms.filter((t) => t !== ''));
  }

  /**
   * A linear bias-free net is x ↦ u·x with u = W_L⋯W_1: with e_r = u·x_r − v_r and s = Σ_r e_r x_r
   * (4 numbers), layer l's gradient is (2/W) β_lᵀ (F_l s)ᵀ, where F_l = W_{l-1}⋯W_0 maps a row to
   * the layer's inputs and β_l = W_L⋯W_{l+1} the layer's outputs to the net's: ≈ half the
   * operations of the layer-by-layer passes over 14 rows. Into g{k} and loss (the mean of e_r²).
   */
  private linearGradients(): void {
    const L = this.lanes;
    const W = this.W;
    const layers = this.layout.layers;
    const prefixes = this.composite();
    const s = range(4).map(() => [] as string[]);
    const squares: string[] = [];
    for (const r of range(W)) {
      this.assign(`e${r}`, L.sub(this.linearRow(prefixes, r), L.get(`v${r}`)));
      squares.push(L.mul(L.get(`e${r}`), L.get(`e${r}`)));
      this.rowInputs(r).forEach((input, j) => {
        if ('local' in input) s[j].push(L.mul(L.get(`e${r}`), L.get(input.local)));
        else if (input.literal !== 0) s[j].push(input.literal === 1 ? L.get(`e${r}`) : L.mul(L.get(`e${r}`), L.constant(input.literal)));
      });
    }
    this.assign('loss', this.sum(squares));
    for (const j of range(4)) this.assign(`s${j}`, L.mul(L.constant(2 / W), this.sum(s[j])));
    // β_l: a row over layer l's outputs, from the last layer down
    let beta: string[] = ['1'];
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const F = prefixes[l];
      const h = range(layer.inputs).map((i) => {
        const terms = range(4)
          .map((j) => (F[i][j] === '0' ? '' : F[i][j] === '1' ? L.get(`s${j}`) : L.mul(F[i][j], L.get(`s${j}`))))
          .filter((t) => t !== '');
        if (l === 0) return terms.length === 0 ? L.constant(0) : this.sum(terms);
        this.assign(`h${l}_${i}`, this.sum(terms));
        return L.get(`h${l}_${i}`);
      });
      for (let o = 0; o < layer.outputs; o++) {
        for (let i = 0; i < layer.inputs; i++) this.assign(`g${this.layout.weightIndex(l, o, i)}`, beta[o] === '1' ? h[i] : L.mul(beta[o], h[i]));
      }
      if (l === 0) break;
      const next = beta;
      beta = range(layer.inputs).map((i) => {
        const terms = range(layer.outputs).map((o) => (next[o] === '1' ? L.get(`w${this.layout.weightIndex(l, o, i)}`) : L.mul(next[o], L.get(`w${this.layout.weightIndex(l, o, i)}`))));
        this.assign(`b${l}_${i}`, this.sum(terms));
        return L.get(`b${l}_${i}`);
      });
    }
  }

  private lossStore(): string {
    const L = this.lanes;
    const lanes = range(L.lanes);
    if (L.storage === 'f64') return lanes.map((l) => `(v128.store64_lane offset=${l * 8} ${l} (local.get $L) (local.get $loss))`).join('\n');
    const value = L.numerics === 'f64' ? '(local.get $scratch)' : '(local.get $loss)';
    return [
      ...(L.numerics === 'f64' ? [L.set('scratch', '(f32x4.demote_f64x2_zero (local.get $loss))')] : []),
      ...lanes.map((l) => `(v128.store32_lane offset=${l * 4} ${l} (local.get $L) ${value})`),
    ].join('\n');
  }

  /**
   * A function looping over blocks of lanes: `body` emits one block's code; `walked` address params
   * advance a block of rows each (`walkedBytes` the bytes given). `guarded`: the block's `bad` lanes
   * are flagged, a byte per block at `flags`, and their blocks counted (the result).
   */
  private func(name: string, params: string[], walked: string[], body: () => void): string;
  private func(name: string, params: string[], walked: string[], options: FuncOptions, body: () => void): string;
  private func(name: string, params: string[], walked: string[], a: FuncOptions | (() => void), b?: () => void): string {
    const { guarded = true, indices = [], walkedBytes = {} } = typeof a === 'function' ? {} : a;
    const body = typeof a === 'function' ? a : b!;
    const L = this.lanes;
    this.lines.length = 0;
    this.locals.clear();
    this.locals.add('scratch');
    body();
    const code = this.lines.join('\n');
    const steps: [string, number][] = [...walked.map((p): [string, number] => [p, L.blockBytes]), ...Object.entries(walkedBytes)];
    if (params.includes('L i32')) steps.push(['L', L.lanes * L.bytes]);
    const advance = steps.map(([p, bytes]) => `(local.set $${p} (i32.add (local.get $${p}) (i32.const ${bytes})))`);
    return [
      `(func (export "${name}") ${params.map((p) => `(param $${p})`).join(' ')}${guarded ? ' (result i32)' : ''}`,
      ...(guarded ? ['(local $count i32) (local $bad i32)'] : []),
      indices.map((l) => `(local $${l} i32)`).join(' '),
      [...this.locals].map((l) => `(local $${l} v128)`).join(' '),
      '(block $done (loop $next',
      '(br_if $done (i32.le_s (local.get $n) (i32.const 0)))',
      code,
      ...(guarded
        ? [
            '(i32.store8 (local.get $flags) (local.get $bad))',
            '(local.set $count (i32.add (local.get $count) (i32.ne (local.get $bad) (i32.const 0))))',
            '(local.set $flags (i32.add (local.get $flags) (i32.const 1)))',
          ]
        : []),
      ...advance,
      `(local.set $n (i32.sub (local.get $n) (i32.const ${L.lanes})))`,
      '(br $next)))',
      ...(guarded ? ['(local.get $count))'] : [')']),
    ].join('\n');
  }

  private emit(code: string): void {
    this.lines.push(code);
  }

  private assign(name: string, value: string): void {
    this.locals.add(name);
    this.emit(this.lanes.set(name, value));
  }

  /** Locals `${name}0 …` = the lanes' rows at `base`. */
  private loadRows(name: string, base: string): void {
    const L = this.lanes;
    if (!L.transposes) {
      for (const k of range(this.W)) this.assign(`${name}${k}`, L.load(base, k));
      return;
    }
    // 4 × 4 tiles: one load per lane's 4 values, transposed by shuffles (a row's last tile reads past it: regions have slack)
    for (let g = 0; g < this.W; g += 4) {
      for (const l of range(4)) this.assign(`r${l}`, `(v128.load offset=${(l * this.W + g) * 4} (local.get $${base}))`);
      this.transpose(Math.min(4, this.W - g)).forEach((column, j) => this.assign(`${name}${g + j}`, column));
    }
  }

  /** The lanes' rows at `base` = locals `${name}0 …`. */
  private storeRows(base: string, name: string): void {
    const L = this.lanes;
    if (!L.transposes) {
      for (const k of range(this.W)) this.emit(L.store(base, k, L.get(`${name}${k}`), 'scratch'));
      return;
    }
    for (let g = 0; g < this.W; g += 4) {
      const count = Math.min(4, this.W - g);
      for (const l of range(4)) this.assign(`r${l}`, L.get(`${name}${g + Math.min(l, count - 1)}`));
      this.transpose(4).forEach((row, l) => {
        this.assign('scratch', row);
        const at = (value: number) => `offset=${(l * this.W + g + value) * 4}`;
        const get = L.get('scratch');
        const address = L.get(base);
        if (count === 4) this.emit(`(v128.store ${at(0)} ${address} ${get})`);
        if (count === 1) this.emit(`(v128.store32_lane ${at(0)} 0 ${address} ${get})`);
        if (count >= 2 && count < 4) this.emit(`(v128.store64_lane ${at(0)} 0 ${address} ${get})`);
        if (count === 3) this.emit(`(v128.store32_lane ${at(2)} 2 ${address} ${get})`);
      });
    }
  }

  /** The first `count` columns of the 4 × 4 tile in locals r0 … r3 (as rows), through temporaries t0 … t3. */
  private transpose(count: number): string[] {
    const shuffle = (a: string, b: string, lanes: number[]) => `(i8x16.shuffle ${lanes.flatMap((j) => [0, 1, 2, 3].map((i) => 4 * j + i)).join(' ')} ${this.lanes.get(a)} ${this.lanes.get(b)})`;
    this.assign('t0', shuffle('r0', 'r1', [0, 4, 1, 5]));
    this.assign('t1', shuffle('r2', 'r3', [0, 4, 1, 5]));
    if (count > 2) {
      this.assign('t2', shuffle('r0', 'r1', [2, 6, 3, 7]));
      this.assign('t3', shuffle('r2', 'r3', [2, 6, 3, 7]));
    }
    return [shuffle('t0', 't1', [0, 1, 4, 5]), shuffle('t0', 't1', [2, 3, 6, 7]), shuffle('t2', 't3', [0, 1, 4, 5]), shuffle('t2', 't3', [2, 3, 6, 7])].slice(0, count);
  }

  /** `bad` = the lanes whose weights w or values v are not all finite (the js kernels' check, in its order). */
  private guard(self: boolean): void {
    const L = this.lanes;
    const sum = (name: string) => range(this.W).reduce((acc, k) => (acc === '' ? L.get(`${name}${k}`) : L.add(acc, L.get(`${name}${k}`))), '');
    this.assign('sw', sum('w'));
    if (!self) this.assign('sv', sum('v'));
    const finite = self ? L.finite(L.get('sw')) : `(v128.and ${L.finite(L.get('sw'))} ${L.finite(L.get('sv'))})`;
    this.emit(`(local.set $bad (i32.xor ${L.bitmask(finite)} (i32.const ${(1 << L.lanes) - 1})))`);
  }

  /** Row r's inputs [value, layer, cell, pos]: the value a local, the positions literals. */
  private rowInputs(r: number): Operand[] {
    const p = this.positions;
    return [{ local: `v${r}` }, ...[0, 1, 2].map((c) => ({ literal: Object.is(p[r * 3 + c], -0) ? 0 : p[r * 3 + c] }))];
  }

  /** `a * b`, folded as `MlpSource` folds it: '' for a literal 0, `a` for a literal 1. */
  private product(a: string, b: Operand): string {
    const L = this.lanes;
    if ('local' in b) return L.mul(L.get(a), L.get(b.local));
    if (b.literal === 0) return '';
    return b.literal === 1 ? L.get(a) : L.mul(L.get(a), L.constant(b.literal));
  }

  private sum(terms: readonly string[]): string {
    return terms.length === 0 ? this.lanes.constant(0) : terms.reduce((acc, t) => this.lanes.add(acc, t));
  }

  private activate(sum: string): string {
    return this.activation === 'relu' ? this.lanes.max(this.lanes.constant(0), sum) : sum;
  }

  private timesDerivative(expression: string, a: string): string {
    return this.activation === 'relu' ? this.lanes.mul(expression, this.lanes.positive(this.lanes.get(a))) : expression;
  }

  /** The forward pass of one row into locals `a{l}_{o}`; returns the output's local. */
  private forward(inputs: readonly Operand[]): string {
    let previous: Operand[] = inputs.map((input, i) => {
      if ('literal' in input) return input;
      this.assign(`a0_${i}`, this.lanes.get(input.local));
      return { local: `a0_${i}` };
    });
    this.layout.layers.forEach((layer, l) => {
      const current: Operand[] = [];
      for (let o = 0; o < layer.outputs; o++) {
        const terms = previous.map((a, i) => this.product(`w${this.layout.weightIndex(l, o, i)}`, a)).filter((t) => t !== '');
        if (layer.biasOffset >= 0) terms.push(this.lanes.get(`w${layer.biasOffset + o}`));
        this.assign(`a${l + 1}_${o}`, this.activate(this.sum(terms)));
        current.push({ local: `a${l + 1}_${o}` });
      }
      previous = current;
    });
    return `a${this.layout.layers.length}_0`;
  }

  /** The backward pass of the row whose forward pass just ran, adding into `g{k}`. */
  private backward(outputGradient: string, inputs: readonly Operand[]): void {
    const L = this.lanes;
    const layers = this.layout.layers;
    this.assign(`d${layers.length}_0`, this.timesDerivative(outputGradient, `a${layers.length}_0`));
    let upstream = [`d${layers.length}_0`];
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      for (let o = 0; o < layer.outputs; o++) {
        for (let i = 0; i < layer.inputs; i++) {
          const input: Operand = l === 0 && 'literal' in inputs[i] ? inputs[i] : { local: `a${l}_${i}` };
          const term = this.product(upstream[o], input);
          const g = `g${this.layout.weightIndex(l, o, i)}`;
          if (term !== '') this.assign(g, L.add(L.get(g), term));
        }
        if (layer.biasOffset >= 0) this.assign(`g${layer.biasOffset + o}`, L.add(L.get(`g${layer.biasOffset + o}`), L.get(upstream[o])));
      }
      if (l === 0) break;
      const next = upstream;
      upstream = range(layer.inputs).map((i) => {
        const sum = this.sum(range(layer.outputs).map((o) => L.mul(L.get(`w${this.layout.weightIndex(l, o, i)}`), L.get(next[o]))));
        this.assign(`d${l}_${i}`, this.timesDerivative(sum, `a${l}_${i}`));
        return `d${l}_${i}`;
      });
    }
  }
}
