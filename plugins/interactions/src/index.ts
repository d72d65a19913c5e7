export * from './attack-interaction';
export * from './learn-from-interaction';
export * from './melt-interaction';
export * from './self-train-interaction';
export * from './sgd';
export { default as interactionsModule } from './interactions-module';
