import { ContainerModule } from 'inversify';
import { WorkflowEngine } from './workflow-engine';
import { IWorkflowService } from './workflow-service';

/** Binds the workflow (saga) engine. */
export const workflowModule = new ContainerModule(({ bind }) => {
  bind<IWorkflowService>(IWorkflowService).to(WorkflowEngine).inSingletonScope();
});
