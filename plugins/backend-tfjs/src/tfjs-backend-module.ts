import { ContainerModule } from 'inversify';
import { Backend, KernelProvider } from '@srnn/core';
import { RecurrentTfjsKernelProvider } from './kernels/recurrent-tfjs-kernels';
import { ReducedMlpTfjsKernelProvider } from './kernels/reduced-mlp-tfjs-kernels';
import { WeightwiseTfjsKernelProvider } from './kernels/weightwise-tfjs-kernels';
import { TfjsBackend } from './tfjs-backend';

/** The tfjs backend and its kernels for srnn's network types (registered by type name). */
export default new ContainerModule(({ bind }) => {
  bind(TfjsBackend).toSelf().inSingletonScope();
  bind(Backend).toService(TfjsBackend);
  bind(KernelProvider).to(WeightwiseTfjsKernelProvider).inSingletonScope();
  bind(KernelProvider).toConstantValue(new ReducedMlpTfjsKernelProvider('aggregating'));
  bind(KernelProvider).toConstantValue(new ReducedMlpTfjsKernelProvider('fft'));
  bind(KernelProvider).to(RecurrentTfjsKernelProvider).inSingletonScope();
});
