import 'reflect-metadata';

export { createConfigurationService } from './create-configuration-service';
export { createContainer, type ContainerOptions } from './di/container';
export { IConfigurationService, type ResolvedAgent, type ConfigurationSummary } from './services/configuration/configuration-service';
export { IFileService, StorageOptions, type FileTransaction } from './services/file/file-service';
export type { VersionGuard, IRecordService } from './services/shared/record-service';
export { ILogger } from './logging/logger';
export * from './domain/errors/agentcfg-error';
export * from './domain/errors/error-code';
export * from './domain/errors/errors';
export * from './domain/personality/personality';
export * from './domain/role/role';
export * from './domain/agent/agent';
export { modelWarnings, KNOWN_MODELS } from './domain/agent/model-catalogue';
export { composeSystemPrompt, describePersonality } from './domain/prompt/effective-system-prompt';
export { ROLE_TEMPLATES } from './domain/templates/role-templates';
export { PERSONALITY_TEMPLATES } from './domain/templates/personality-templates';
