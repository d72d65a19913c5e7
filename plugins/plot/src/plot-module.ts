import { ContainerModule } from 'inversify';
import { Figure } from '@srnn/core';
import { CensusBarsFigure } from './census-bars-figure';
import { CensusOverTimeFigure } from './census-over-time-figure';
import { FractionLinesFigure } from './fraction-lines-figure';
import { LossFigure } from './loss-figure';

export default new ContainerModule(({ bind }) => {
  bind(Figure).to(CensusOverTimeFigure).inSingletonScope();
  bind(Figure).to(LossFigure).inSingletonScope();
  bind(Figure).to(CensusBarsFigure).inSingletonScope();
  bind(Figure).to(FractionLinesFigure).inSingletonScope();
});
