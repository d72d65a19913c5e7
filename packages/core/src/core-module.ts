import { ContainerModule } from 'inversify';
import { Backend } from './backend';
import { JsBackend } from './js-backend';
import { PluginRegistry } from './registry';

/** What core itself contributes: the registry and the fallback backend, js. */
export const coreModule = new ContainerModule(({ bind }) => {
  bind(PluginRegistry).toSelf();
  bind(Backend).to(JsBackend).inSingletonScope();
});
