export * from './weightwise-architecture';
export * from './weightwise-js-kernels';
export * from './weightwise-network';
export * from './weightwise-options';
export * from './weightwise-positions';
export * from './weightwise-tfjs-kernels';
export { default as weightwiseModule } from './weightwise-module';
