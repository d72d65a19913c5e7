export * from './checkpoint-format';
export * from './checkpoint-store';
export * from './event-log';
export * from './run-checkpoints';
export * from './state-codec';
export * from './sweep-record';
