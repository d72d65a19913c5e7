export * from './projection';
export * from './trajectories-figure';
export * from './trajectories-html';
export * from './trajectories-sink';
export { default as trajectoriesModule } from './trajectories-module';
