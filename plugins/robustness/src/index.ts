export * from './robustness-experiment';
export * from './robustness-figure';
export * from './robustness-trials';
export * from './trial-clock';
export { default as robustnessModule } from './robustness-module';
