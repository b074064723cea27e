import { recordServiceToken, type RecordServiceOf } from '../shared/record-services';

/** The personality service: the record service of kind 'personality' (see RecordService). */
export type IPersonalityService = RecordServiceOf<'personality'>;

/** Injection token for the personality service. */
export const IPersonalityService = recordServiceToken('personality');
