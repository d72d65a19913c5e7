import { MlpSource, range, type MlpLayout } from '@srnn/mlp';

/** Up to this many weights the closed form is generated (its rows are unrolled with their positions as literals). */
export const CLOSED_FORM_LIMIT = 64;

/** How a generated kernel body ends a network's training. */
export interface KernelExit {
  /** The statement ending it with its loss `value` (an expression). */
  readonly loss: (value: string) => string;
  /** The statement handing it, unchanged, to `slow`: the general kernel for one network. */
  readonly slow: string;
}

/** Whether `closedFormTrainBody` applies: a linear MLP without bias, small enough to unroll its rows. */
export function closedFormApplies(layout: MlpLayout, activation: string): boolean {
  return activation === 'linear' && !layout.bias && layout.weightCount <= CLOSED_FORM_LIMIT;
}

/**
 * One full-batch self-training step of a linear bias-free weightwise MLP in closed form (PAPER.md
 * §1): the net is y = u·x with u = W_L ⋯ W_1 (1 × 4), so with e_r = u·x_r − v_r and h = Σ_r e_r x_r
 * the gradient of layer l is (2/W) (W_L ⋯ W_{l+1})ᵀ ⊗ (W_{l−1} ⋯ W_1 h) — no forward and backward
 * pass per row. Rows' positions are literals (products with 0 and 1 folded away). The same step as
 * the general kernel up to rounding (the sums are associated differently); networks with a
 * non-finite weight, input or result take `exit.slow`, the general kernel, so NaN and ∞ spread
 * exactly as there.
 *
 * With `withLoss` every row's error comes from the same layer-by-layer forward pass as in the
 * general kernel, so the loss it ends with (`exit.loss`, before the step) is bit for bit the general
 * kernel's; without, the errors are u·x_r − v_r (a few products a row) and no loss is recorded.
 * With `self` (data = params) the rows are the weights as loaded.
 */
export function closedFormTrainBody(layout: MlpLayout, positions: Float32Array, withMomentum: boolean, withLoss: boolean, exit: KernelExit, self = false): string {
  const W = layout.weightCount;
  const layers = layout.layers;
  const L = layers.length;
  const w = (l: number, o: number, i: number) => `w${layout.weightIndex(l, o, i)}`;
  const all = (name: string) => range(W).map((k) => `${name}${k}`);
  const finite = (names: string[]) => `((${names.join(' + ')}) - (${names.join(' + ')}) === 0)`;
  const lines: string[] = [];
  lines.push(
    range(W)
      .map((k) => `let w${k} = P[po + ${k}];`)
      .join('\n'),
  );
  lines.push(
    range(W)
      .map((r) => (self ? `const v${r} = w${r};` : `const v${r} = D[d0 + ${r}];`))
      .join('\n'),
  );
  // up[l][o]: d y / d (output o of layer l) = (W_L ⋯ W_{l+2})[o]; up[L-1] = [1].
  const up: string[][] = [];
  up[L - 1] = ['1'];
  for (let l = L - 1; l >= 1; l--) {
    up[l - 1] = range(layers[l].inputs).map((i) => {
      const name = `r${l - 1}_${i}`;
      const terms = range(layers[l].outputs).map((o) => (up[l][o] === '1' ? w(l, o, i) : `${up[l][o]} * ${w(l, o, i)}`));
      lines.push(`const ${name} = ${terms.join(' + ')};`);
      return name;
    });
  }
  const u = range(4).map((i) => {
    const terms = range(layers[0].outputs).map((o) => (up[0][o] === '1' ? w(0, o, i) : `${up[0][o]} * ${w(0, o, i)}`));
    lines.push(`const u${i} = ${terms.join(' + ')};`);
    return `u${i}`;
  });
  // With self v = w; its terms stay in the sum all the same, as leaving them out could change its rounding.
  lines.push(`if (!(${finite([...all('w'), ...all('v'), ...u])})) ${exit.slow}`);
  // Errors, loss and h = Σ_r e_r x_r with x_r = [v_r, layer, cell, pos] (positions as literals).
  const h: string[][] = [[], [], [], []];
  lines.push('let loss = 0;');
  const folded = new MlpSource(layout, 'linear', true);
  for (let r = 0; r < W; r++) {
    const x = [`v${r}`, ...[0, 1, 2].map((c) => positions[r * 3 + c])];
    if (withLoss) {
      const { code, outputs } = folded.forward([`v${r}`, ...x.slice(1).map((p) => literal(p as number))], '');
      lines.push(`let e${r};\n{\n${code}\ne${r} = ${outputs[0]} - v${r};\n}`, `loss += e${r} * e${r};`);
    } else {
      const terms = [`u0 * v${r}`];
      for (let i = 1; i < 4; i++) {
        const p = x[i] as number;
        if (p !== 0) terms.push(p === 1 ? `u${i}` : `u${i} * ${literal(p)}`);
      }
      lines.push(`const e${r} = ${terms.join(' + ')} - v${r};`);
    }
    h[0].push(`e${r} * v${r}`);
    for (let i = 1; i < 4; i++) {
      const p = x[i] as number;
      if (p !== 0) h[i].push(p === 1 ? `e${r}` : `e${r} * ${literal(p)}`);
    }
  }
  // down[l][i]: (W_l ⋯ W_1 h)[i], the input of layer l seen by h.
  let down = h.map((terms, i) => {
    lines.push(`const h0_${i} = ${terms.join(' + ') || '0'};`);
    return `h0_${i}`;
  });
  const g: string[] = Array<string>(W);
  for (let l = 0; l < L; l++) {
    for (let o = 0; o < layers[l].outputs; o++) {
      const scale = `s${l}_${o}`;
      lines.push(`const ${scale} = ${up[l][o] === '1' ? String(2 / W) : `${2 / W} * ${up[l][o]}`};`);
      for (let i = 0; i < layers[l].inputs; i++) g[layout.weightIndex(l, o, i)] = `${scale} * ${down[i]}`;
    }
    if (l === L - 1) break;
    down = range(layers[l].outputs).map((o) => {
      const name = `h${l + 1}_${o}`;
      lines.push(
        `const ${name} = ${range(layers[l].inputs)
          .map((i) => `${w(l, o, i)} * ${down[i]}`)
          .join(' + ')};`,
      );
      return name;
    });
  }
  if (withMomentum) {
    lines.push(
      range(W)
        .map((k) => `let m${k} = M[mo + ${k}];`)
        .join('\n'),
    );
    lines.push(
      range(W)
        .map((k) => `m${k} = momentum * m${k} + ${g[k]}; w${k} -= lr * m${k};`)
        .join('\n'),
    );
  } else {
    lines.push(
      range(W)
        .map((k) => `w${k} -= lr * ${g[k]};`)
        .join('\n'),
    );
  }
  const results = [...all('w'), ...(withMomentum ? all('m') : []), ...(withLoss ? ['loss'] : [])];
  lines.push(`if (!(${finite(results)})) ${exit.slow}`);
  lines.push(
    range(W)
      .map((k) => `P[po + ${k}] = w${k};`)
      .join('\n'),
  );
  if (withMomentum)
    lines.push(
      range(W)
        .map((k) => `M[mo + ${k}] = m${k};`)
        .join('\n'),
    );
  if (withLoss) lines.push(exit.loss(`loss / ${W}`));
  return lines.join('\n');
}

function literal(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}
