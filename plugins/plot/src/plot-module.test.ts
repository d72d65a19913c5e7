import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { Container } from 'inversify';
import { buildScenarioSchema, coreModule, PluginRegistry } from '@srnn/core';
import { renderFigures } from '@srnn/runner';
import plotModule from './plot-module';
import { singleRunDir, sweepDir } from './fixture-results';

async function registry(): Promise<PluginRegistry> {
  const container = new Container();
  await container.load(coreModule, plotModule);
  return container.get(PluginRegistry);
}

describe('the plot plugin', () => {
  test('registers four figures, two of them automatic', async () => {
    const { figures } = await registry();
    assert.deepEqual(figures.map((f) => f.type).sort(), ['census-bars', 'census-over-time', 'fraction-lines', 'loss']);
    assert.deepEqual(
      figures
        .filter((f) => f.automatic)
        .map((f) => f.type)
        .sort(),
      ['census-over-time', 'loss'],
    );
  });

  test("the scenario's figures: key takes the figures' options, fills defaults and rejects unknown ones", async () => {
    const figures = buildScenarioSchema(await registry()).shape.figures;
    assert.deepEqual(figures.parse([{ type: 'census-bars' }, { type: 'fraction-lines', x: 'experiment.lr' }]), [
      { type: 'census-bars', x: 'architecture.type' },
      { type: 'fraction-lines', class: 'fixpoint', spread: 'std', x: 'experiment.lr' },
    ]);
    assert.throws(() => figures.parse([{ type: 'census-bars', colour: 'red' }]));
    assert.throws(() => figures.parse([{ type: 'pie-chart' }]));
  });

  test("the runner's renderFigures draws the automatic figures into a single run's directory", async () => {
    const { dir, scenario } = singleRunDir();
    const written = await renderFigures(dir, scenario, await registry());
    assert.deepEqual(written.map((f) => basename(f)).sort(), ['census-over-time.png', 'census-over-time.svg', 'census-over-time.vl.json', 'loss.png', 'loss.svg', 'loss.vl.json']);
    assert.equal(readdirSync(dir).length, 4 + 6, 'no temporary files left');
  });

  test('a sweep directory gets the figures its scenario lists, and no census over time', async () => {
    const { dir, scenario } = sweepDir({ figures: ['{ type: census-bars, x: architecture.type }', '{ type: fraction-lines, x: experiment.trainsPerApplication }'] });
    const written = await renderFigures(dir, scenario, await registry());
    assert.deepEqual(written.map((f) => basename(f)).sort(), ['census-bars.png', 'census-bars.svg', 'census-bars.vl.json', 'fraction-lines.png', 'fraction-lines.svg', 'fraction-lines.vl.json']);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.startsWith('.')),
      [],
    );
  });
});
