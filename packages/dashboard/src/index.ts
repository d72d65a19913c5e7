export * from './dashboard-server';
export * from './dashboard-state';
export * from './live-run-source';
export * from './results-source';
export * from './wire';
