import type { Personality } from '../dist/index';
import type { IoCounts } from './counting-file-system';
import type { AgentRequest } from './records';

/**
 * The stores compared: the library on a data folder, two baselines users might pick instead, and the physical
 * floor; then the library on PostgreSQL and its own baseline, a hand-written `pg` transaction.
 */
export const CONTENDERS = ['agentcfg', 'lowdb', 'sqlite', 'raw', 'agentcfg-postgres', 'pg'] as const;

/** One of the stores compared. */
export type ContenderName = (typeof CONTENDERS)[number];

/** The contenders that keep their records in a PostgreSQL database (one of the bench's throwaway server's). */
export const POSTGRES_CONTENDERS: readonly ContenderName[] = ['agentcfg-postgres', 'pg'];

/**
 * Where a PostgreSQL contender's database is, as its worker process gets it from the runner: the application
 * role's URL (no DDL) and the database owner's (migrations, table creation, resets between rounds).
 */
export const POSTGRES_ENV = { url: 'BENCH_PG_URL', ownerUrl: 'BENCH_PG_OWNER_URL' } as const;

/** A personality patch every contender applies in its own natural way. */
export type TraitPatch = Pick<Personality, 'humor'>;

/**
 * One store, driven the way its users would drive it. Each method does the whole job a caller waits for:
 * a write returns once the store says it is done (durably, where the store promises that).
 */
export interface Contender {
  /** Fills a fresh folder (or a database emptied for the round) with the existing records; not measured. */
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
   * For a store whose file I/O goes through a port the bench can count (agentcfg on a folder, see
   * counting-file-system.ts): the calls counted so far in this process. Absent for the others.
   */
  ioCounts?(): IoCounts;
  /**
   * For a store several processes may use at once (agentcfg on a folder or on PostgreSQL, pg): what another process
   * needs to open the store this one filled, handed to `attach` there. Absent for stores that are one process's alone.
   */
  sharedLocation?(): string;
  /** In another process: opens the store at `location` (a `sharedLocation()`), as openAndList does, without listing. */
  attach?(location: string): Promise<void>;
}
