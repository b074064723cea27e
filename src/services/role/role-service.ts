import type { Role, RoleInput, RolePatch } from '../../domain/role/role';
import type { IRecordService } from '../shared/record-service';

/** Stores roles; deleting one that agents use is refused, and templates cannot be changed. */
export type IRoleService = IRecordService<Role, RoleInput, RolePatch>;

/** Injection token for the role service. */
export const IRoleService = Symbol.for('agentcfg.IRoleService');
