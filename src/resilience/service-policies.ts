/** Retry with exponential backoff, a circuit breaker per service, and a timeout per call; all configurable. */
export interface ResilienceOptions {
  retry: {
    /** Retries after the first attempt. */
    maxRetries: number;
    initialDelayMs: number;
    factor: number;
    maxDelayMs: number;
    /** Spread delays randomly between half and all of the computed delay. */
    jitter: boolean;
  };
  breaker: {
    /** Consecutive failures that open the circuit. */
    consecutiveFailures: number;
    /** How long the circuit stays open before one probe call is let through. */
    halfOpenAfterMs: number;
  };
  /** Limit of one call to a service. */
  timeoutMs: number;
}

/** Settings to change, each over its default. */
export interface ResilienceOverrides {
  retry?: Partial<ResilienceOptions['retry']>;
  breaker?: Partial<ResilienceOptions['breaker']>;
  timeoutMs?: number;
}

/** The defaults: 3 retries at 100 ms doubling, breaker after 3 failures for 5 s, 2 s per call. */
export const DEFAULT_RESILIENCE: ResilienceOptions = {
  retry: { maxRetries: 3, initialDelayMs: 100, factor: 2, maxDelayMs: 10_000, jitter: false },
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 5_000 },
  timeoutMs: 2_000,
};

/** Something a policy did while a call was in progress; these go to the log and the workflow journal. */
export type PolicyEvent =
  | { kind: 'retry'; attempt: number; delayMs: number; error: string }
  | { kind: 'break'; error?: string }
  | { kind: 'half-open' }
  | { kind: 'reset' }
  | { kind: 'timeout'; timeoutMs: number };

/** State of one service's circuit. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** How a call went through the policies. */
export interface PolicyCallOptions {
  /** Told about every retry, break, reset and timeout during this call. */
  onEvent?: (event: PolicyEvent) => void;
  /** Undo work bypasses the breaker: it must be tried even when the service is struggling. */
  compensation?: boolean;
  /** Called before each attempt with its number (1-based). */
  onAttempt?: (attempt: number) => void;
}

/** Calls to each service go through that service's retry, breaker and timeout. */
export interface IServicePolicies {
  /** Runs `call` under the service's policies; the signal aborts when the call times out. */
  execute<T>(service: string, call: (signal: AbortSignal) => Promise<T>, options?: PolicyCallOptions): Promise<T>;
  /** The service's circuit state. */
  circuitState(service: string): CircuitState;
}

/** Injection token for the service policies. */
export const IServicePolicies = Symbol.for('agentcfg.IServicePolicies');

/** Injection token for the resilience settings. */
export const ResilienceOptions = Symbol.for('agentcfg.ResilienceOptions');
