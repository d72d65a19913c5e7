import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointIdentity } from './checkpoint-format';
import { writeDurably } from './durable-file';
import { decodeValue, encodeValue } from './state-codec';

/** The directory inside a sweep's `<out>.partial/` that records its progress. */
export const SWEEP_RECORD_DIR = '.sweep';

const FINISHED = 'finished';

/** `plan.json`: the sweep's identity (the scenario hash is that of its base scenario) and its plan. */
export interface SweepRecordPlan {
  readonly identity: CheckpointIdentity;
  readonly plan: unknown;
}

/**
 * What a sweep with checkpoints records in `<out>.partial/.sweep/` beside its runs' directories
 * (`runs/<id>/`, each an ordinary partial run with its own `.checkpoint/`): `plan.json`, written
 * before its first run (every run's scenario: what `resume` runs), and `finished/<id>.json`, the
 * outcome of each finished run (its row of the sweep's tables), written once the run's files are
 * complete. Each file is written durably (temporary file, fsync, rename), so a kill leaves the
 * record of every run finished before it.
 */
export class SweepRecord {
  constructor(readonly dir: string) {}

  readPlan(): SweepRecordPlan | undefined {
    const path = join(this.dir, 'plan.json');
    if (!existsSync(path)) return undefined;
    return decodeValue(JSON.parse(readFileSync(path, 'utf8')), noArrays) as SweepRecordPlan;
  }

  writePlan(record: SweepRecordPlan): void {
    mkdirSync(join(this.dir, FINISHED), { recursive: true });
    writeDurably(join(this.dir, 'plan.json'), [JSON.stringify(encodeValue(record, noArrays)) + '\n']);
  }

  /** The outcomes of the finished runs, by run id. */
  finished(): Map<string, unknown> {
    const dir = join(this.dir, FINISHED);
    const out = new Map<string, unknown>();
    if (!existsSync(dir)) return out;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      out.set(name.slice(0, -'.json'.length), decodeValue(JSON.parse(readFileSync(join(dir, name), 'utf8')), noArrays));
    }
    return out;
  }

  writeFinished(id: string, outcome: unknown): void {
    writeDurably(join(this.dir, FINISHED, `${id}.json`), [JSON.stringify(encodeValue(outcome, noArrays)) + '\n']);
  }

  /** How many runs have finished, without reading their records. */
  finishedCount(): number {
    const dir = join(this.dir, FINISHED);
    return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json') && !name.startsWith('.')).length : 0;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function noArrays(): never {
  throw new Error('a sweep record holds no typed arrays');
}
