export * from './tfjs-backend';
export * from './tfjs-mlp';
export * from './reduced-mlp-tfjs-kernels';
export { default as tfjsBackendModule } from './tfjs-backend-module';
