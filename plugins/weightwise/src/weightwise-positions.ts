import type { MlpLayout } from '@srnn/mlp';

/**
 * The position part `[layer, cell, pos]` of each weight's input row (PAPER.md §1), as float32
 * values in a [W × 3] array. In 'out-in' cell is the output neuron and pos the input; in 'in-out'
 * the reverse. A bias entry counts as one more input (index = inputs). Each index is normalised by
 * the largest index at its level: x / max(maxIndex, 1).
 */
export function weightPositions(layout: MlpLayout): Float32Array {
  const positions = new Float32Array(layout.weightCount * 3);
  const layerScale = Math.max(layout.layers.length - 1, 1);
  layout.layers.forEach((layer, l) => {
    const inputs = layer.inputs + (layer.biasOffset >= 0 ? 1 : 0);
    const outIn = layout.layout === 'out-in';
    const cellScale = Math.max((outIn ? layer.outputs : inputs) - 1, 1);
    const posScale = Math.max((outIn ? inputs : layer.outputs) - 1, 1);
    const put = (index: number, o: number, i: number) => {
      positions[index * 3] = l / layerScale;
      positions[index * 3 + 1] = (outIn ? o : i) / cellScale;
      positions[index * 3 + 2] = (outIn ? i : o) / posScale;
    };
    for (let o = 0; o < layer.outputs; o++) {
      for (let i = 0; i < layer.inputs; i++) put(layout.weightIndex(l, o, i), o, i);
      if (layer.biasOffset >= 0) put(layer.biasOffset + o, o, layer.inputs);
    }
  });
  return positions;
}

/** The full input rows `[value, layer, cell, pos]` of one weight vector, [W × 4]. */
export function inputRows(weights: ArrayLike<number>, positions: Float32Array): Float32Array {
  const W = weights.length;
  const rows = new Float32Array(W * 4);
  for (let k = 0; k < W; k++) {
    rows[k * 4] = weights[k];
    rows.set(positions.subarray(k * 3, k * 3 + 3), k * 4 + 1);
  }
  return rows;
}
