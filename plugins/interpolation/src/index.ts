export * from './interpolation-experiment';
export * from './interpolation-figure';
export { default as interpolationModule } from './interpolation-module';
