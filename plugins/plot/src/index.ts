export * from './census-bars-figure';
export * from './census-over-time-figure';
export * from './class-colours';
export * from './fonts';
export * from './fraction-lines-figure';
export * from './loss-figure';
export * from './render-vega-lite';
export * from './results-data';
export { default as plotModule } from './plot-module';
