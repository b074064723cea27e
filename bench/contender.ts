import type { Personality } from '../dist/index';
import type { AgentRequest } from './records';

/** The stores compared: the library, two baselines users might pick instead, and the physical floor. */
export const CONTENDERS = ['agentcfg', 'lowdb', 'sqlite', 'raw'] as const;

/** One of the stores compared. */
export type ContenderName = (typeof CONTENDERS)[number];

/** A personality patch every contender applies in its own natural way. */
export type TraitPatch = Pick<Personality, 'humor'>;

/**
 * One store, driven the way its users would drive it. Each method does the whole job a caller waits for:
 * a write returns once the store says it is done (durably, where the store promises that).
 */
export interface Contender {
  /** Fills a fresh folder with the existing records; not measured. */
  fill(dir: string, personalities: readonly Personality[]): Promise<void>;
  /** Opens the folder as a process that has not seen it, and reads every personality; returns how many. */
  openAndList(): Promise<number>;
  /** Stores one new personality. */
  createPersonality(input: AgentRequest['personality']): Promise<void>;
  /** Changes one field of an existing personality. */
  updatePersonality(id: string, patch: TraitPatch): Promise<void>;
  /** Stores a personality, a role and an agent that uses both, all or nothing. */
  createAgentWithDependencies(request: AgentRequest): Promise<void>;
  /** Ids of the stored agents, to check that nothing was lost. */
  agentIds(): Promise<Set<string>>;
  /** Releases what the store holds open. */
  close(): Promise<void>;
  /**
   * For a store that folds a change log into its files (agentcfg): makes its next write to the personalities fold
   * the log (`due`), or makes it one that will not (`due` false), with unmeasured updates; false when the store
   * keeps no change log at this size.
   */
  prepareFold?(due: boolean): Promise<boolean>;
  /**
   * The fdatasyncs agentcfg's integration suites require a create-agent workflow to make one after another, made as
   * bare appends to files kept open: nothing that passes those suites unchanged can run the workflow in less. Only
   * the physical floor (raw) has it.
   */
  requiredSyncs?(): Promise<void>;
}
