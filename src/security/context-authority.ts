import type { Principal, SecurityContext } from './security-context';

/** Issues contexts (held only by ConfigurationService) and recognises issued ones (held by services). */
export interface ContextAuthority {
  issue(principal: Principal & { requestId: string }): SecurityContext;
  /** The context when `value` is one that was issued; null for anything else. */
  verify(value: unknown): SecurityContext | null;
}

/**
 * Issued contexts are frozen objects remembered in this module's private WeakSet, so the only way to hold a
 * valid one is to be given it: an object with the same fields is not one. The set is shared by every
 * container of the process, so a service of one container accepts contexts issued by another's configuration.
 */
const issued = new WeakSet<object>();

/** The authority a container's configuration service issues through; the module it lives in is not exported by the package. */
export function createContextAuthority(): ContextAuthority {
  return {
    issue({ actor, access, requestId }) {
      const context: SecurityContext = Object.freeze({ actor, access, requestId });
      issued.add(context);
      return context;
    },
    verify(value) {
      return typeof value === 'object' && value !== null && issued.has(value) ? (value as SecurityContext) : null;
    },
  };
}
