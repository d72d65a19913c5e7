export * from './job-identity';
export * from './job-result';
export * from './queue-executor';
export * from './queue-worker';
export * from './redis-url';
