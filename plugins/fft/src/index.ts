export * from './fft-architecture';
export * from './fft-network';
export * from './fft-options';
export * from './fft-reduction';
export { default as fftModule } from './fft-module';
