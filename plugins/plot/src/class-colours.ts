import { PARTICLE_CLASSES, type ParticleClass } from '@srnn/core';

/** One colour per particle class, the same in every figure. */
export const CLASS_COLOURS: Readonly<Record<ParticleClass, string>> = {
  divergent: '#d62728', // red
  zero: '#8c8c8c', // grey
  fixpoint: '#2ca02c', // green
  'second-order': '#1f77b4', // blue
  other: '#ff7f0e', // orange
};

/** A Vega-Lite colour scale mapping every class (in census order) to its colour. */
export function classColourScale() {
  return { domain: [...PARTICLE_CLASSES], range: PARTICLE_CLASSES.map((c) => CLASS_COLOURS[c]) };
}
