import { injectable } from 'inversify';
import type { Backend } from './backend';

/** The fallback backend (the default of every network no other backend ranks): plain TypeScript kernels over typed arrays, specialised per shape. */
@injectable()
export class JsBackend implements Backend {
  readonly name = 'js';
  async init(): Promise<void> {}
  describe(): string {
    return 'js';
  }
}
