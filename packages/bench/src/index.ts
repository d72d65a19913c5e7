export * from './experiment-benchmark';
export * from './kernel-workloads';
export * from './measure';
export * from './reference';
export * from './report';
export * from './result-row';
