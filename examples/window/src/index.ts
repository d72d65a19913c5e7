export * from './window-architecture';
export * from './window-js-kernels';
export * from './window-kernel-provider';
export * from './window-network';
export * from './window-options';
export { default as windowModule } from './window-module';
