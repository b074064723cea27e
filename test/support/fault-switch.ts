import type { Container } from 'inversify';
import type { StepService } from '../../src/domain/workflow/workflow-definition';
import type { IRecordService } from '../../src/services/shared/record-service';
import { SERVICE_TOKENS } from './coordination';
import { misbehave, type FakedService, type Misbehaviour } from './service-fakes';

type AnyService = IRecordService<unknown, unknown, unknown>;
type FaultyMethod = Parameters<typeof misbehave>[1];

/**
 * Binds, in place of each record service, one that passes every call to the real service until a fault is
 * armed; then calls go through a misbehaving Sinon fake (`misbehave`) until `disarm`. Faults stack: arming a
 * second method wraps the first fake. Call before anything resolves the services (the configuration service).
 */
export class FaultSwitch {
  private readonly real = {} as Record<StepService, AnyService>;
  private readonly current = {} as Record<StepService, AnyService>;

  constructor(container: Container) {
    for (const [kind, token] of Object.entries(SERVICE_TOKENS) as [StepService, symbol][]) {
      this.real[kind] = this.current[kind] = container.get<AnyService>(token);
      const forward = (method: keyof AnyService) => (...args: unknown[]) => {
        const target = this.current[kind];
        return (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
      const service: AnyService = {
        create: forward('create') as AnyService['create'],
        get: forward('get') as AnyService['get'],
        list: forward('list') as AnyService['list'],
        update: forward('update') as AnyService['update'],
        updateResolved: forward('updateResolved') as AnyService['updateResolved'],
        history: forward('history') as AnyService['history'],
        restore: forward('restore') as AnyService['restore'],
        delete: forward('delete') as AnyService['delete'],
        revert: forward('revert') as AnyService['revert'],
        seedTemplates: forward('seedTemplates') as AnyService['seedTemplates'],
      };
      container.rebind(token).toConstantValue(service);
    }
  }

  /** Makes `method` of one service misbehave from its `fromCall`-th call on (counted from now). */
  arm(service: StepService, method: FaultyMethod, behaviour: Misbehaviour, fromCall = 1): FakedService {
    const faked = misbehave(this.current[service], method, behaviour, fromCall);
    this.current[service] = faked.service;
    return faked;
  }

  /** Every service back to the real one. */
  disarm(): void {
    Object.assign(this.current, this.real);
  }
}
