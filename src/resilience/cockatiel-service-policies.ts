import {
  CircuitState as CockatielCircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IDisposable,
  type IPolicy,
  type RetryPolicy,
  type TimeoutPolicy,
  BrokenCircuitError,
  TaskCancelledError,
  type GeneratorFn,
} from 'cockatiel';
import { inject, injectable } from 'inversify';
import { AgentcfgError, isAgentcfgError } from '../domain/errors/agentcfg-error';
import { ErrorCode } from '../domain/errors/error-code';
import { UnavailableError } from '../domain/errors/errors';
import { ILogger } from '../logging/logger';
import { isTransient } from './error-classification';
import { typedIfEnvironmental } from '../storage/io-errors';
import { type CircuitState, type IServicePolicies, type PolicyCallOptions, type PolicyEvent, ResilienceOptions } from './service-policies';

interface ServicePolicySet {
  retry: RetryPolicy;
  breaker: CircuitBreakerPolicy;
  timeout: TimeoutPolicy;
  forward: IPolicy;
  compensation: IPolicy;
}

// cockatiel's own no-jitter generator always doubles; ours honours the configured factor.
function backoffGenerator(jitter: boolean): GeneratorFn<number> {
  return (attempt = 0, options) => {
    const delay = Math.min(options.maxDelay, options.initialDelay * options.exponent ** attempt);
    return [jitter ? Math.floor(delay / 2 + (Math.random() * delay) / 2) : delay, attempt + 1];
  };
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The service policies, built on cockatiel: retry(breaker(timeout(call))) per service, created on first use. */
@injectable()
export class CockatielServicePolicies implements IServicePolicies {
  private readonly services = new Map<string, ServicePolicySet>();

  constructor(
    @inject(ResilienceOptions) private readonly options: ResilienceOptions,
    @inject(ILogger) private readonly logger: ILogger,
  ) {}

  async execute<T>(service: string, call: (signal: AbortSignal) => Promise<T>, callOptions: PolicyCallOptions = {}): Promise<T> {
    const set = this.policiesFor(service);
    const emit = (event: PolicyEvent) => {
      this.logger.info({ service, ...event }, `${service} service: ${event.kind}`);
      callOptions.onEvent?.(event);
    };
    const subscriptions: IDisposable[] = [
      set.retry.onRetry((e) => emit({ kind: 'retry', attempt: e.attempt, delayMs: e.delay, error: describe('error' in e ? e.error : e.value) })),
      set.timeout.onTimeout(() => emit({ kind: 'timeout', timeoutMs: this.options.timeoutMs })),
    ];
    if (!callOptions.compensation) {
      subscriptions.push(
        set.breaker.onBreak((e) => emit({ kind: 'break', ...('error' in e ? { error: describe(e.error) } : {}) })),
        set.breaker.onHalfOpen(() => emit({ kind: 'half-open' })),
        set.breaker.onReset(() => emit({ kind: 'reset' })),
      );
    }
    let attempts = 0;
    try {
      const policy = callOptions.compensation ? set.compensation : set.forward;
      return (await policy.execute(({ signal }) => {
        attempts++;
        callOptions.onAttempt?.(attempts);
        return call(signal);
      })) as T;
    } catch (error) {
      throw this.explain(service, error, attempts);
    } finally {
      subscriptions.forEach((s) => s.dispose());
    }
  }

  circuitState(service: string): CircuitState {
    const state = this.policiesFor(service).breaker.state;
    if (state === CockatielCircuitState.Closed) return 'closed';
    return state === CockatielCircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /** Turns what the policies threw into a typed error that names the service and keeps the cause. */
  private explain(service: string, error: unknown, attempts: number): AgentcfgError {
    const context = { service, attempt: attempts };
    if (error instanceof BrokenCircuitError) {
      return new UnavailableError(`the ${service} service's circuit breaker is open; failing fast`, { context, cause: error });
    }
    const timedOut = error instanceof TaskCancelledError;
    const reason = timedOut ? `timed out after ${this.options.timeoutMs} ms` : describe(error);
    if (isTransient(error) && attempts > this.options.retry.maxRetries) {
      const code = isAgentcfgError(error) ? error.code : ErrorCode.UNAVAILABLE;
      return new AgentcfgError(code, `retry limit exceeded after ${attempts} attempts on the ${service} service: ${reason}`, {
        context: { ...context, retryLimitExceeded: true },
        cause: error,
        ...(isAgentcfgError(error) ? { details: error.details } : {}),
      });
    }
    if (timedOut) return new UnavailableError(`the ${service} service ${reason}`, { context, cause: error });
    const typed = typedIfEnvironmental(error);
    if (isAgentcfgError(typed)) return typed;
    return new AgentcfgError(ErrorCode.INTERNAL_ERROR, `the ${service} service failed: ${reason}`, { context, cause: error });
  }

  private policiesFor(service: string): ServicePolicySet {
    let set = this.services.get(service);
    if (!set) {
      set = this.build();
      this.services.set(service, set);
    }
    return set;
  }

  private build(): ServicePolicySet {
    const { retry: r, breaker: b, timeoutMs } = this.options;
    const transient = handleWhen(isTransient);
    const backoff = new ExponentialBackoff({
      initialDelay: r.initialDelayMs,
      exponent: r.factor,
      maxDelay: r.maxDelayMs,
      generator: backoffGenerator(r.jitter),
    });
    const retryPolicy = retry(transient, { maxAttempts: r.maxRetries, backoff });
    const breaker = circuitBreaker(transient, { halfOpenAfter: b.halfOpenAfterMs, breaker: new ConsecutiveBreaker(b.consecutiveFailures) });
    const timeoutPolicy = timeout(timeoutMs, TimeoutStrategy.Aggressive);
    const compensationRetry = retry(transient, { maxAttempts: r.maxRetries, backoff });
    return {
      retry: retryPolicy,
      breaker,
      timeout: timeoutPolicy,
      forward: wrap(retryPolicy, breaker, timeoutPolicy),
      compensation: wrap(compensationRetry, timeoutPolicy),
    };
  }
}
