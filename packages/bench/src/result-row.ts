/** One line of the benchmark's output (and one object of `--json`). */
export interface ResultRow {
  /** self-train | self-train-momentum | self-application | self-train-experiment */
  readonly benchmark: string;
  /** js | tfjs | pytorch (the reference figures) */
  readonly backend: string;
  /** What actually ran: the backend's describe(), or the reference's provenance. */
  readonly engine: string;
  /** Population size; null for the reference figures, whose P the issue does not give. */
  readonly P: number | null;
  /** Median net-steps per second; null when the case was skipped or failed. */
  readonly netStepsPerSecond: number | null;
  /** False for the quoted reference figures and for skipped or failed cases. */
  readonly measured: boolean;
  readonly lr?: number;
  readonly momentum?: number;
  /** Experiment row: steps per particle and wall-clock seconds of the run. */
  readonly steps?: number;
  readonly elapsedSeconds?: number;
  /** Rate per repetition. */
  readonly samples?: readonly number[];
  /** Timed kernel calls and the calls per timed chunk. */
  readonly calls?: number;
  readonly chunk?: number;
  /** Networks re-initialised during timing because their weights diverged or died. */
  readonly restored?: number;
  /** Multiple of the PyTorch reference figure of the same kind. */
  readonly vsPytorch?: number;
  readonly target?: number;
  readonly meetsTarget?: boolean;
  /** Why the case was not measured. */
  readonly skipped?: string;
  readonly note?: string;
}
