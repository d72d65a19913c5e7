import { injectable } from 'inversify';
import type { Architecture } from '@srnn/core';
import { WindowNetwork } from './window-network';
import { windowOptionsSchema, type WindowOptions } from './window-options';

/** `architecture: { type: window, radius: 1, width: 2, activation: linear }` */
@injectable()
export class WindowArchitecture implements Architecture<typeof windowOptionsSchema> {
  readonly type = 'window';
  readonly description = 'MLP (2·radius + 1) → width → 1 rewriting each weight from the circular window of its neighbours in the flattened weights';
  readonly optionsSchema = windowOptionsSchema;

  /** `options`: the scenario's `architecture:` entry without `type`, parsed by the schema (defaults filled). */
  build(options: WindowOptions): WindowNetwork {
    return new WindowNetwork(options);
  }
}
