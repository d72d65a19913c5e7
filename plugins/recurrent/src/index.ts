export * from './recurrent-architecture';
export * from './recurrent-js-kernels';
export * from './recurrent-js-source';
export * from './recurrent-kernel-provider';
export * from './recurrent-layout';
export * from './recurrent-network';
export * from './recurrent-options';
export { default as recurrentModule } from './recurrent-module';
