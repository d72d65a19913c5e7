import { ContainerModule } from 'inversify';
import { Interaction } from '@srnn/core';
import { AttackInteraction } from './attack-interaction';
import { LearnFromInteraction } from './learn-from-interaction';
import { MeltInteraction } from './melt-interaction';
import { SelfTrainInteraction } from './self-train-interaction';

export default new ContainerModule(({ bind }) => {
  bind(Interaction).to(AttackInteraction).inSingletonScope();
  bind(Interaction).to(LearnFromInteraction).inSingletonScope();
  bind(Interaction).to(SelfTrainInteraction).inSingletonScope();
  bind(Interaction).to(MeltInteraction).inSingletonScope();
});
