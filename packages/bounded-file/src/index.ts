export * from './bounded-file';
export * from './weights-files';
