export * from './progress-display';
export { isBadInput, UsageError } from './command-support';
export { validateScenario } from './commands/validate-command';
