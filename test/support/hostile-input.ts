import type { IConfigurationService } from '../../src/services/configuration/configuration-service';
import type { InputAttack, TraversalAttack } from './attack-catalogue';

/** Records nothing depends on, so an update of them runs without a workflow. */
export const UPDATE_TARGETS = { personality: 'spare-p', role: 'spare-r', agent: 'ada-reviewer' } as const;

/** One command line: its arguments and what it reads on stdin. */
export interface CliCall {
  args: string[];
  stdin?: string;
}

/** Sends an attack's body through the library, as the operation it names. */
export function sendInput(configuration: IConfigurationService, attack: InputAttack): Promise<unknown> {
  const body = attack.body as never;
  switch (attack.operation) {
    case 'import':
      return configuration.importBundle(body);
    case 'run':
      return configuration.runWorkflow(body);
    case 'create-with':
      return configuration.createAgentWithDependencies(body);
    case 'update':
      return configuration.updateRecord(attack.kind as keyof typeof UPDATE_TARGETS, UPDATE_TARGETS[attack.kind as keyof typeof UPDATE_TARGETS], body);
    case 'create':
      if (attack.kind === 'personality') return configuration.createPersonality(body);
      if (attack.kind === 'role') return configuration.createRole(body);
      return configuration.createAgent(body);
  }
}

/** The command line that sends an attack's body, read from `file` (`-` for stdin). */
export function inputCommand(attack: InputAttack, file: string): string[] {
  switch (attack.operation) {
    case 'import':
      return ['import', file];
    case 'run':
      return ['workflow', 'run', file];
    case 'create-with':
      return ['agent', 'create-with', '--file', file];
    case 'update':
      return [attack.kind, 'update', UPDATE_TARGETS[attack.kind as keyof typeof UPDATE_TARGETS], '--file', file];
    case 'create':
      return [attack.kind, 'create', '--file', file];
  }
}

/** Uses a hostile id through the library. */
export function useId(configuration: IConfigurationService, attack: TraversalAttack): Promise<unknown> {
  const { id } = attack;
  if (attack.kind === 'workflow') return configuration.getWorkflow(id);
  const kind = attack.kind;
  switch (attack.operation) {
    case 'history':
      return configuration.recordHistory(kind, id);
    case 'update':
      return configuration.updateRecord(kind, id, {});
    case 'restore':
      return configuration.restoreRecord(kind, id, 1);
    case 'delete':
      return kind === 'personality' ? configuration.deletePersonality(id) : kind === 'role' ? configuration.deleteRole(id) : configuration.deleteAgent(id);
    default:
      return kind === 'personality' ? configuration.getPersonality(id) : kind === 'role' ? configuration.getRole(id) : configuration.getAgent(id);
  }
}

/** The command line that uses a hostile id. */
export function idCommand(attack: TraversalAttack): CliCall {
  const { kind, id } = attack;
  switch (attack.operation) {
    case 'show':
      return { args: ['workflow', 'show', id] };
    case 'update':
      return { args: [kind, 'update', id, '--file', '-'], stdin: '{}' };
    case 'restore':
      return { args: [kind, 'restore', id, '--version', '1'] };
    default:
      return { args: [kind, attack.operation, id] };
  }
}
