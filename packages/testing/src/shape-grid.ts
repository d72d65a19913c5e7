import { ACTIVATIONS, MATRIX_LAYOUTS, type Activation, type MatrixLayout } from '@srnn/mlp';

/** `base` with every activation, with and without bias, in every matrix layout: the shapes the kernel tests sweep. */
export function shapeGrid<O extends { readonly activation: Activation; readonly bias: boolean; readonly layout: MatrixLayout }>(base: O): O[] {
  const shapes: O[] = [];
  for (const activation of ACTIVATIONS) {
    for (const bias of [false, true]) {
      for (const layout of MATRIX_LAYOUTS) shapes.push({ ...base, activation, bias, layout });
    }
  }
  return shapes;
}
