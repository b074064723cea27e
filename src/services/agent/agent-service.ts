import { recordServiceToken, type RecordServiceOf } from '../shared/record-services';

/** The agent service: the record service of kind 'agent' (see RecordService). */
export type IAgentService = RecordServiceOf<'agent'>;

/** Injection token for the agent service. */
export const IAgentService = recordServiceToken('agent');
