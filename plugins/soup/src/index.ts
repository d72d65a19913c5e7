export * from './epoch-plan';
export * from './snapshot-sink';
export * from './soup';
export * from './soup-clones';
export * from './soup-clones-figure';
export * from './soup-experiment';
export * from './soup-options';
export * from './soup-trajectories-figure';
export { default as soupModule } from './soup-module';
