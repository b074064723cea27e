import { recordServiceToken, type RecordServiceOf } from '../shared/record-services';

/** The role service: the record service of kind 'role' (see RecordService). */
export type IRoleService = RecordServiceOf<'role'>;

/** Injection token for the role service. */
export const IRoleService = recordServiceToken('role');
