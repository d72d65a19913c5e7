export * from './bounded-file';
