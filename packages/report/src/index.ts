export * from './paper-result';
export * from './paper-run';
export * from './paper-scenarios';
export * from './report-document';
export * from './write-report';
