import { ContainerModule } from 'inversify';
import { CockatielServicePolicies } from './cockatiel-service-policies';
import { DEFAULT_RESILIENCE, IServicePolicies, ResilienceOptions, type ResilienceOverrides } from './service-policies';

/** Binds the per-service retry, breaker and timeout policies, with the given settings over the defaults. */
export function resilienceModule(options: ResilienceOverrides = {}): ContainerModule {
  const settings: ResilienceOptions = {
    retry: { ...DEFAULT_RESILIENCE.retry, ...options.retry },
    breaker: { ...DEFAULT_RESILIENCE.breaker, ...options.breaker },
    timeoutMs: options.timeoutMs ?? DEFAULT_RESILIENCE.timeoutMs,
  };
  return new ContainerModule(({ bind }) => {
    bind<ResilienceOptions>(ResilienceOptions).toConstantValue(settings);
    bind<IServicePolicies>(IServicePolicies).to(CockatielServicePolicies).inSingletonScope();
  });
}
