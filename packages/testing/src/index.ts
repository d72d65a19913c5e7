export * from './kernel-test-support';
export * from './golden-trajectory-suite';
export * from './reduced-mlp-kernel-suite';
export * from './architecture-scenario-suite';
export * from './backend-kernels';
export * from './redis-server';
