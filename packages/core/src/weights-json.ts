import { PARTICLE_CLASSES } from './classification';
import type { PopulationSnapshot } from './events';

/**
 * weights.json, the final population of a run (README, "Results"):
 * `{ "particles": [ { "uid", "parent", "birth", "class", "weights": [...] } ] }` in population
 * order — parent uid (-1: none) and birth step; a weight is a JSON number or, where JSON has none,
 * one of the strings "NaN", "Infinity", "-Infinity". `population.init: { file }` and the fixpoint
 * sources of the analysis experiments read it back.
 */
export function weightsJson(population: PopulationSnapshot): string {
  const W = population.weightCount;
  const lines = Array.from(population.uids, (uid, i) => {
    const weights = Array.from(population.weights.subarray(i * W, (i + 1) * W), jsonWeight);
    const parent = population.parentUids[i];
    const birth = population.birthSteps[i];
    return `    { "uid": ${uid}, "parent": ${parent}, "birth": ${birth}, "class": "${PARTICLE_CLASSES[population.classes[i]]}", "weights": [${weights.join(', ')}] }`;
  });
  return `{\n  "particles": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/** JSON has no NaN or Infinity: a divergent weight is written as one of these strings. */
const NON_FINITE = new Map<unknown, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

function jsonWeight(value: number): string {
  return Number.isFinite(value) ? String(value) : `"${value}"`;
}

/**
 * A weight vector as weights.json (or an init file) writes it — `W` numbers, each a JSON number or
 * "NaN", "Infinity", "-Infinity" — as numbers; undefined when `value` is no such vector.
 */
export function weightVector(value: unknown, W: number): number[] | undefined {
  if (!Array.isArray(value) || value.length !== W) return undefined;
  const out = new Array<number>(W);
  for (let i = 0; i < W; i++) {
    const v: unknown = value[i];
    const n = typeof v === 'number' ? v : NON_FINITE.get(v);
    if (n === undefined) return undefined;
    out[i] = n;
  }
  return out;
}
