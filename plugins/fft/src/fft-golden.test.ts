import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeGoldenTrajectories, type GoldenTrajectories, backendKernels, registryOf } from '@srnn/testing';
import { FftNetwork } from './fft-network';
import fftModule from './fft-module';

const registry = registryOf(fftModule);

describeGoldenTrajectories({
  title: 'fft follows numpy’s golden trajectories',
  network: new FftNetwork({ width: 2, depth: 2, activation: 'linear', bias: false, layout: 'out-in', coefficients: 4 }),
  /** Computed with numpy.fft.rfft/irfft by scripts/golden.py, independently of this code. */
  golden: JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'fft-golden.json'), 'utf8')) as GoldenTrajectories,
  training: { lr: 0.04, momentum: 0.9 },
  backends: [[backendKernels<FftNetwork>(registry, 'fft', 'js'), 1e-6]],
});
