export * from './aggregating-architecture';
export * from './aggregating-network';
export * from './aggregating-options';
export * from './aggregating-reduction';
export { default as aggregatingModule } from './aggregating-module';
