export * from './self-train-experiment';
export { default as selfTrainModule } from './self-train-module';
