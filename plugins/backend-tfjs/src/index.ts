export * from './tfjs-backend';
export * from './tfjs-mlp';
export * from './kernels/reduced-mlp-tfjs-kernels';
export * from './kernels/recurrent-tfjs-kernels';
export * from './kernels/weightwise-tfjs-kernels';
export { default as tfjsBackendModule } from './tfjs-backend-module';
