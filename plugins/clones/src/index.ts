export * from './clones-experiment';
export * from './clones-figures';
export { default as clonesModule } from './clones-module';
