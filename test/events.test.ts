import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { Experiment, PARTICLE_CLASSES, ScenarioError, type ExperimentContext, type Run, type RunEvent, ofKind as selectKind, type RunEventOf } from '@srnn/core';
import { Srnn } from '@srnn/runner';
import { FAILING_PLUGIN, smallScenario, tempDir, writeFile, FIXTURES, runCli } from './support/helpers';
import { PROGRESS_KINDS } from '@srnn/cli';

const P = 5;
const STEPS = 12;
const CENSUS_EVERY = 4;

interface Recorded {
  readonly events: RunEvent[];
  /** Index in `events` at which the stream completed (events.length then), or -1. */
  completedAt: number;
  errored: unknown;
}

/** Subscribes to a run's events before it executes. */
function record(run: Run): Recorded {
  const recorded: Recorded = { events: [], completedAt: -1, errored: undefined };
  run.events$.subscribe({
    next: (event) => recorded.events.push(event),
    complete: () => (recorded.completedAt = recorded.events.length),
    error: (error) => (recorded.errored = error),
  });
  return recorded;
}

function ofKind<K extends RunEvent['kind']>(events: readonly RunEvent[], kind: K): Extract<RunEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<RunEvent, { kind: K }> => e.kind === kind);
}

/** An experiment that records whether anybody wants `classified` events, then takes two censuses. */
const wantsLog: boolean[] = [];
const probeModule = new ContainerModule(({ bind }) => {
  bind(Experiment).toConstantValue({
    type: 'observe-probe',
    description: "test: records context.wants('classified')",
    optionsSchema: z.object({}).strict(),
    totalWork: () => 1,
    async run(context: ExperimentContext) {
      wantsLog.push(context.wants('classified'));
      context.census(0);
      context.census(1);
      await context.progress(1, 1);
    },
  } satisfies Experiment);
});

describe('run.events$', () => {
  let srnn: Srnn;

  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JS fixture module outside the compiled tree
    const failing = (require(FAILING_PLUGIN) as { default: ContainerModule }).default;
    srnn = await Srnn.create({ modules: [failing, probeModule] });
  });

  describe('of a successful self-train run', () => {
    let recorded: Recorded;
    let result: Awaited<ReturnType<Run['execute']>>;

    before(async () => {
      const yaml = smallScenario({ size: P, steps: STEPS, censusEvery: CENSUS_EVERY });
      const run = srnn.createRun(await srnn.loadScenarioText(yaml, 'events.yaml'));
      recorded = record(run);
      result = await run.execute();
    });

    test('starts with run-started carrying the run info', () => {
      const first = recorded.events[0];
      assert.equal(first.kind, 'run-started');
      assert.equal(ofKind(recorded.events, 'run-started').length, 1);
      if (first.kind !== 'run-started') return;
      assert.equal(first.info.weightCount, 14);
      assert.equal(first.info.totalWork, STEPS);
      assert.equal(first.info.backend, 'WebAssembly SIMD f32x4 (float32 arithmetic)', 'the default engine of the paper net');
      assert.equal(first.info.scenario.backend, 'wasm-f32', 'the backend that runs, decided for the scenario that names none');
      assert.equal(first.info.scenario.population.size, P);
    });

    test('reports progress once per step, in order, against the total work', () => {
      const progress = ofKind(recorded.events, 'progress');
      assert.deepEqual(
        progress.map((e) => e.done),
        Array.from({ length: STEPS }, (_, i) => i + 1),
      );
      for (const e of progress) assert.equal(e.total, STEPS);
    });

    test('emits census events at step 0 and every censusEvery steps, with counts summing to P', () => {
      const censuses = ofKind(recorded.events, 'census');
      assert.deepEqual(
        censuses.map((e) => e.step),
        [0, 4, 8, 12],
      );
      for (const e of censuses) {
        assert.deepEqual(Object.keys(e.census).sort(), [...PARTICLE_CLASSES].sort());
        assert.equal(
          PARTICLE_CLASSES.reduce((total, c) => total + e.census[c], 0),
          P,
        );
      }
      for (const e of censuses.slice(1)) assert.ok(typeof e.meanLoss === 'number' && Number.isFinite(e.meanLoss), 'self-train reports a mean loss');
    });

    test('emits one classified event per census, right after it, with Float64Array uids and Uint8Array classes matching the counts', () => {
      const { events } = recorded;
      const censuses = ofKind(events, 'census');
      const classified = ofKind(events, 'classified');
      assert.equal(classified.length, censuses.length);
      events.forEach((event, i) => {
        if (event.kind !== 'census') return;
        const next = events[i + 1];
        assert.equal(next?.kind, 'classified', `event after census ${event.step}`);
        if (next.kind !== 'classified') return;
        assert.equal(next.step, event.step);
        assert.ok(next.uids instanceof Float64Array, 'uids is a Float64Array');
        assert.ok(next.classes instanceof Uint8Array, 'classes is a Uint8Array');
        assert.equal(next.uids.length, P);
        assert.equal(next.classes.length, P);
        assert.deepEqual(Array.from(next.uids), [0, 1, 2, 3, 4]);
        for (const c of PARTICLE_CLASSES) {
          assert.equal(next.classes.filter((code) => PARTICLE_CLASSES[code] === c).length, event.census[c], c);
        }
      });
      // the arrays are copies: each event keeps its own
      assert.notEqual(classified[0].classes.buffer, classified[1].classes.buffer);
    });

    test('ends with run-finished, carrying the final census and population, and then completes', () => {
      const { events } = recorded;
      const last = events[events.length - 1];
      assert.equal(last.kind, 'run-finished');
      assert.equal(ofKind(events, 'run-finished').length, 1);
      assert.equal(ofKind(events, 'run-failed').length, 0);
      assert.equal(recorded.completedAt, events.length, 'completed right after run-finished');
      assert.equal(recorded.errored, undefined);
      if (last.kind !== 'run-finished') return;
      assert.deepEqual(last.census, result.census);
      assert.deepEqual(Array.from(last.population.weights), Array.from(result.population.weights));
      assert.equal(last.population.weights.length, P * 14);
    });
  });

  describe('detail is produced only for the kinds somebody asked for (context.wants)', () => {
    const probe = ['architecture: { type: weightwise }', `population: { size: ${P} }`, 'experiment: { type: observe-probe }', ''].join('\n');

    test('nobody subscribed: no classified events; a subscriber of events$ asks for every kind and gets them', async () => {
      const loaded = await srnn.loadScenarioText(probe, 'probe.yaml');
      wantsLog.length = 0;
      await srnn.createRun(loaded).execute();
      const observed = srnn.createRun(loaded);
      const recorded = record(observed);
      await observed.execute();
      assert.deepEqual(wantsLog, [false, true]);
      assert.equal(ofKind(recorded.events, 'census').length, 2);
      assert.equal(ofKind(recorded.events, 'classified').length, 2);
    });

    test('run.select asks for its kinds only, typed: census alone produces no classified events, classified does', async () => {
      const loaded = await srnn.loadScenarioText(probe, 'probe.yaml');
      wantsLog.length = 0;
      const censusOnly = srnn.createRun(loaded);
      const censuses: RunEventOf<'census'>[] = [];
      censusOnly.select('census').subscribe((e) => censuses.push(e));
      await censusOnly.execute();
      const asking = srnn.createRun(loaded);
      const classified: RunEventOf<'classified'>[] = [];
      asking.select('classified').subscribe((e) => classified.push(e));
      await asking.execute();
      assert.deepEqual(wantsLog, [false, true]);
      assert.deepEqual(
        censuses.map((e) => e.step),
        [0, 1],
      );
      assert.deepEqual(
        classified.map((e) => [e.step, e.uids.length, e.classes.length]),
        [
          [0, P, P],
          [1, P, P],
        ],
      );
    });

    test('a run into a results directory with the default sinks and the CLI progress display asks for no classified events; a subscriber asking gets them', async () => {
      const loaded = await srnn.loadScenarioText(probe, 'probe.yaml');
      wantsLog.length = 0;
      const plain = srnn.createRun(loaded);
      const seen: string[] = [];
      plain.select(...PROGRESS_KINDS).subscribe((e) => seen.push(e.kind));
      await srnn.runIntoDirectory(plain, join(tempDir('srnn-interest-'), 'out'));
      const asking = srnn.createRun(loaded);
      const classified: RunEventOf<'classified'>[] = [];
      asking.select('classified').subscribe((e) => classified.push(e));
      await srnn.runIntoDirectory(asking, join(tempDir('srnn-interest-'), 'out'));
      assert.deepEqual(wantsLog, [false, true]);
      assert.deepEqual(seen, ['run-started', 'census', 'census', 'progress', 'run-finished']);
      assert.equal(classified.length, 2);
    });

    test('srnn run with the installed plugins wants only the detail their sinks write; with --events (events.jsonl) every kind', () => {
      const dir = tempDir('srnn-interest-cli-');
      writeFile(dir, 'probe.yaml', probe.replace('observe-probe', 'interest-probe'));
      const plugin = join(FIXTURES, 'interest-probe-plugin.js');
      const wanted = (...flags: string[]) => {
        const result = runCli(['run', 'probe.yaml', '--plugin', plugin, '--out', 'out', ...flags], dir);
        assert.equal(result.status, 0, result.stderr);
        const line = result.stderr.split('\n').find((l) => l.startsWith('interest-probe '));
        assert.ok(line, result.stderr);
        return JSON.parse(line.slice('interest-probe '.length)) as Record<string, boolean>;
      };
      // the installed sinks write snapshots.f32 and trajectories.f32 (when an experiment makes them), nothing reads the rest
      assert.deepEqual(wanted(), { classified: false, interactions: false, snapshot: true, 'analysis-trajectories': true });
      assert.deepEqual(wanted('--events'), { classified: true, interactions: true, snapshot: true, 'analysis-trajectories': true });
    });

    test('ofKind narrows a stream of events by kind', async () => {
      const run = srnn.createRun(await srnn.loadScenarioText(probe, 'probe.yaml'));
      const steps: number[] = [];
      run.events$.pipe(selectKind('census', 'run-finished')).subscribe((e) => steps.push(e.kind === 'census' ? e.step : -1));
      await run.execute();
      assert.deepEqual(steps, [0, 1, -1]);
    });
  });

  test('a run whose experiment fails midway emits run-failed last, with the error, and then completes', async () => {
    const yaml = ['architecture: { type: weightwise }', `population: { size: ${P} }`, 'experiment: { type: fail-midway, failAfter: 3, message: exploded }', ''].join('\n');
    const run = srnn.createRun(await srnn.loadScenarioText(yaml, 'fails.yaml'));
    const recorded = record(run);
    let thrown: unknown;
    await assert.rejects(
      run.execute().catch((error) => {
        thrown = error;
        throw error;
      }),
      /exploded/,
    );
    const { events } = recorded;
    assert.deepEqual(
      events.map((e) => e.kind),
      ['run-started', 'census', 'classified', 'progress', 'progress', 'progress', 'run-failed'],
    );
    const failed = events[events.length - 1];
    if (failed.kind === 'run-failed') assert.equal(failed.error, thrown, 'run-failed carries the error execute() rejects with');
    assert.equal(recorded.completedAt, events.length, 'completed right after run-failed');
    assert.equal(recorded.errored, undefined, 'the stream completes rather than errors');
  });

  test('a run that fails during initialisation emits only run-failed with the located ScenarioError, then completes', async () => {
    // the load checks the init file; here it changes between the load and the run
    const dir = tempDir('srnn-events-init-');
    const vectors = join(dir, 'init.json');
    writeFileSync(vectors, JSON.stringify([Array(14).fill(0.5), Array(14).fill(0.25)]));
    const yaml = ['architecture: { type: weightwise }', 'population:', '  size: 2', '  init: { file: init.json }', 'experiment: { type: self-train, steps: 2 }', ''].join('\n');
    const file = writeFile(dir, 'init.yaml', yaml);
    const run = srnn.createRun(await srnn.loadScenario(file));
    writeFileSync(
      vectors,
      JSON.stringify([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    const recorded = record(run);
    await assert.rejects(run.execute(), ScenarioError);
    assert.deepEqual(
      recorded.events.map((e) => e.kind),
      ['run-failed'],
    );
    const failed = recorded.events[0];
    assert.ok(failed.kind === 'run-failed' && failed.error instanceof ScenarioError);
    assert.ok(failed.error.message.startsWith(`${file}:4:17: population.init.file.0: `), failed.error.message);
    assert.equal(recorded.completedAt, 1);
  });
});
