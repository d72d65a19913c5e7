import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FftNetwork, fftModule } from '@srnn/fft';
import { describeGoldenTrajectories, type GoldenTrajectories, backendKernels, registryOf } from '@srnn/testing';
import tfjsBackendModule from '../tfjs-backend-module';

describeGoldenTrajectories({
  title: 'fft follows numpy’s golden trajectories',
  network: new FftNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 }),
  /** Computed with numpy.fft.rfft/irfft by the fft package's scripts/golden.py, independently of this code. */
  golden: JSON.parse(readFileSync(join(dirname(require.resolve('@srnn/fft/package.json')), 'golden', 'fft-golden.json'), 'utf8')) as GoldenTrajectories,
  training: { lr: 0.04, momentum: 0.9 },
  backends: [[backendKernels<FftNetwork>(registryOf(fftModule, tfjsBackendModule), 'fft', 'tfjs'), 1e-5]],
});
