export * from './reduced-mlp-kernel-suite';
export * from './golden-trajectory-suite';
export * from './architecture-scenario-suite';
export * from './backend-kernels';
