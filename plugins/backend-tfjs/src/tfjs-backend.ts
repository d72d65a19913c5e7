import { injectable } from 'inversify';
import type { Backend } from '@srnn/core';

export type Tf = typeof import('@tensorflow/tfjs');

/** Which engine to try: SRNN_TFJS_ENGINE=node|wasm|cpu forces one (default: node, else wasm, else cpu). */
const ENGINE_ENV = 'SRNN_TFJS_ENGINE';

/**
 * The tfjs backend: `@tensorflow/tfjs-node` when it loads (an optional dependency that cannot be
 * installed on machines without access to its native binaries), else `@tensorflow/tfjs` on the
 * wasm engine, else on the plain cpu engine. Kernels batch a whole population into each tensor op.
 */
@injectable()
export class TfjsBackend implements Backend {
  readonly name = 'tfjs';
  private loaded?: Tf;

  /** The tfjs namespace; valid after `init()`. */
  get tf(): Tf {
    if (!this.loaded) throw new Error('the tfjs backend is used before init()');
    return this.loaded;
  }

  async init(): Promise<void> {
    if (this.loaded) return;
    const wanted = process.env[ENGINE_ENV];
    const tried: string[] = [];
    if (!wanted || wanted === 'node') {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional engine, loaded only when wanted and installed
        this.loaded = require('@tensorflow/tfjs-node') as Tf;
        await this.loaded.ready();
        return;
      } catch (error) {
        tried.push(`tfjs-node: ${(error as Error).message.split('\n')[0]}`);
        if (wanted === 'node') throw new Error(`${ENGINE_ENV}=node but ${tried[0]}`, { cause: error });
      }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only a run on tfjs pays for loading it
    const tf = require('@tensorflow/tfjs') as Tf;
    quietTfjsWarnings(tf);
    for (const engine of wanted === 'cpu' ? ['cpu'] : ['wasm', 'cpu']) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional engine, loaded only when wanted and installed
        if (engine === 'wasm') require('@tensorflow/tfjs-backend-wasm');
        if (await tf.setBackend(engine)) {
          await tf.ready();
          this.loaded = tf;
          return;
        }
        tried.push(`${engine}: not available`);
      } catch (error) {
        tried.push(`${engine}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    throw new Error(`no tfjs engine could start (${tried.join('; ')})`);
  }

  describe(): string {
    return this.loaded ? `tfjs ${this.loaded.version.tfjs} (${this.loaded.getBackend()})` : 'tfjs (not started)';
  }
}

/** tfjs prints a banner recommending tfjs-node on every start; srnn already reports the engine. */
function quietTfjsWarnings(tf: Tf): void {
  tf.env().set('IS_TEST', true);
  tf.env().set('PROD', true);
}
