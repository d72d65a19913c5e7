/** A soup that runs far longer than any test waits: the tests pause, resume and stop it. */
export const ENDLESS_SOUP = [
  'name: endless-soup',
  'seed: 3',
  'architecture: { type: weightwise }',
  'population: { size: 300 }',
  'experiment:',
  '  type: soup',
  '  epochs: 10000000',
  '  interactions: [{ type: attack, rate: 0.1 }, { type: self-train, steps: 5, lr: 0.04 }]',
  '  respawn: { divergent: true, zero: true }',
  '  censusEvery: 10',
  '  snapshotEvery: 100',
  '',
].join('\n');
