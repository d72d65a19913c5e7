export * from './tfjs-backend';
export * from './tfjs-mlp';
export { default as tfjsBackendModule } from './tfjs-backend-module';
