/**
 * Figures the benchmark compares against. The PyTorch numbers are the authors' reference
 * implementation on this machine as quoted in the issue that asked for this benchmark; they are
 * constants, not measured here.
 */
export const PYTORCH_REFERENCE = {
  engine: "PyTorch (authors' reference code; quoted, not measured)",
  netStepsPerSecond: {
    'self-train': 4.8e3,
    'self-application': 3.9e3,
  },
} as const;

/** Performance targets of the js backend on one core, judged at one population size. */
export const TARGETS = {
  backend: 'js',
  P: 1000,
  netStepsPerSecond: {
    'self-train': 5e6,
    'self-train-momentum': 5e6,
    'self-application': 15e6,
  } as Record<string, number | undefined>,
} as const;

/** The PyTorch figure a benchmark is compared with (self-train with momentum against self-train). */
export function pytorchFigure(benchmark: string): number | undefined {
  if (benchmark === 'self-application') return PYTORCH_REFERENCE.netStepsPerSecond['self-application'];
  if (benchmark.startsWith('self-train')) return PYTORCH_REFERENCE.netStepsPerSecond['self-train'];
  return undefined;
}
