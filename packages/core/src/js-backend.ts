import { injectable } from 'inversify';
import type { Backend } from './backend';

/** The default backend: kernels are plain TypeScript over typed arrays, specialised per shape. */
@injectable()
export class JsBackend implements Backend {
  readonly name = 'js';
  async init(): Promise<void> {}
  describe(): string {
    return 'js';
  }
}
