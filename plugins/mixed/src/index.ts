export * from './mixed-experiment';
export { default as mixedModule } from './mixed-module';
