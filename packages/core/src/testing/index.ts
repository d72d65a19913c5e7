export * from './reduced-mlp-kernel-suite';
