export * from './mlp-layout';
export * from './js-mlp-source';
export * from './reduced-mlp-js-kernels';
export * from './js-mlp-loop-source';
export * from './js-kernel-provider';
