// eslint-disable-next-line @typescript-eslint/no-require-imports
export const SRNN_VERSION: string = require('../package.json').version;
