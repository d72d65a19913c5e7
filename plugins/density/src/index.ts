export * from './density-experiment';
export { default as densityModule } from './density-module';
