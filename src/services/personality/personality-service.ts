import type { Personality, PersonalityInput, PersonalityPatch } from '../../domain/personality/personality';
import type { IRecordService } from '../shared/record-service';

/** Stores personalitys; deleting one that agents use is refused, and templates cannot be changed. */
export type IPersonalityService = IRecordService<Personality, PersonalityInput, PersonalityPatch>;

/** Injection token for the personality service. */
export const IPersonalityService = Symbol.for('agentcfg.IPersonalityService');
