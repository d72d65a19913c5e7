// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json lies outside rootDir, so it is read at run time, not imported
export const SRNN_VERSION: string = require('../package.json').version;
