import { ContainerModule } from 'inversify';
import { IAgentService } from './agent-service';
import { AgentService } from './agent-service-impl';

/** Binds the agent service. */
export const agentModule = new ContainerModule(({ bind }) => {
  bind<IAgentService>(IAgentService).to(AgentService).inSingletonScope();
});
