export * from './progress-display';
