export * from './epoch-plan';
export * from './snapshot-sink';
export * from './soup';
export * from './soup-experiment';
export * from './soup-options';
export { default as soupModule } from './soup-module';
