import sinon from 'sinon';
import { AgentcfgError } from '../../src/domain/errors/agentcfg-error';
import type { ErrorCode } from '../../src/domain/errors/error-code';
import type { IRecordService } from '../../src/services/shared/record-service';

/** How a faked service method misbehaves. */
export type Misbehaviour =
  | { kind: 'permanent'; code: ErrorCode; message?: string }
  | { kind: 'transient'; code?: ErrorCode; message?: string; times?: number }
  | { kind: 'timeout' }
  | { kind: 'late-write'; delayMs: number };

type AnyService = IRecordService<unknown, unknown, unknown>;
type Method = 'create' | 'update' | 'delete' | 'get' | 'revert';

/** A Test*Service: the real service, with one method replaced by a Sinon stub that misbehaves as told. */
export interface FakedService {
  service: AnyService;
  /** The misbehaving method's stub (its calls include those passed through to the real service). */
  stub: sinon.SinonStub;
  /** Resolves when no late call is still on its way to the real service (a test must not end under one). */
  idle(): Promise<void>;
  /** Date.now() at each call of the stub (fake-clock time under fake timers). */
  calledAt: number[];
}

/**
 * Wraps a real record service so that `method` misbehaves from its `fromCall`-th call on (1-based; earlier
 * calls pass through), for `times` calls of a transient failure (all, if not said), then passes through again.
 */
export function misbehave(real: AnyService, method: Method, behaviour: Misbehaviour, fromCall = 1): FakedService {
  const passThrough = (args: unknown[]) => (real[method] as (...a: unknown[]) => Promise<unknown>).apply(real, args);
  let failures = 0;
  const late = new Set<Promise<unknown>>();
  const calledAt: number[] = [];
  const stub = sinon.stub().callsFake(async (...args: unknown[]) => {
    calledAt.push(Date.now());
    if (stub.callCount < fromCall) return passThrough(args);
    switch (behaviour.kind) {
      case 'permanent':
        throw new AgentcfgError(behaviour.code, behaviour.message ?? `the fake ${method} refused (${behaviour.code})`, { context: { fake: true } });
      case 'transient':
        if (behaviour.times !== undefined && failures >= behaviour.times) return passThrough(args);
        failures++;
        throw new AgentcfgError(behaviour.code ?? 'UNAVAILABLE', behaviour.message ?? `the fake ${method} is busy`, { context: { fake: true } });
      case 'timeout':
        return new Promise(() => undefined);
      case 'late-write': {
        const call = new Promise((resolve) => setTimeout(resolve, behaviour.delayMs)).then(() => passThrough(args));
        late.add(call);
        return call.finally(() => late.delete(call));
      }
    }
  });
  const service: AnyService = {
    create: (...a) => real.create(...a),
    get: (...a) => real.get(...a),
    list: () => real.list(),
    update: (...a) => real.update(...a),
    delete: (...a) => real.delete(...a),
    revert: (...a) => real.revert(...a),
    updateResolved: (...a) => real.updateResolved(...a),
    history: (...a) => real.history(...a),
    restore: (...a) => real.restore(...a),
    seedTemplates: (...a) => real.seedTemplates(...a),
  };
  service[method] = stub as never;
  const idle = async () => {
    while (late.size > 0) await Promise.allSettled([...late]);
  };
  return { service, stub, idle, calledAt };
}
