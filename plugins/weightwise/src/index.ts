export * from './weightwise-architecture';
export * from './weightwise-js-kernels';
export * from './weightwise-kernel-provider';
export * from './weightwise-network';
export * from './weightwise-options';
export * from './weightwise-positions';
export { default as weightwiseModule } from './weightwise-module';
