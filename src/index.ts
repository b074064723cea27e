import 'reflect-metadata';

export { createConfigurationService } from './create-configuration-service';
export { createContainer, type ContainerOptions } from './di/container';
export { IConfigurationService, type ResolvedAgent, type ConfigurationSummary } from './services/configuration/configuration-service';
export { IFileService, StorageOptions, type FileTransaction } from './storage/file/file-service';
export {
  IRecordStore,
  HISTORY_LIMIT,
  type Commit,
  type CloseOptions,
  type CommitOptions,
  type CommitReceipt,
  type RecordPut,
  type RecordRemoval,
  type Planned,
  type StoreReader,
  type IWorkflowJournals,
  type ClaimedJournal,
} from './storage/record-store';
export type { ChangeEvent, ChangeListener, Disposable, IChangeFeed } from './storage/change-feed';
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
export { ACCESS_LEVELS, SECURITY_ROLES, principalSchema, type AccessLevel, type Principal, type PrincipalInput, type SecurityContext, type SecurityRole } from './security/security-context';
export { hasRight, type Right } from './security/rights';
export { IAccessControl } from './security/access-control';
export { IAuditLog, type AuditFilter } from './audit/audit-log';
export type { AuditEntry, AuditEvent, AuditOutcome, AuditTarget } from './audit/audit-entry';
export { verifyAuditChain, type AuditVerification } from './audit/audit-chain';
export { readImport, type ImportInput, type ImportSource } from './interchange/read-import';
export { writeExport, EXPORT_FORMATS, type ExportFormat, type ExportFile, type ExportOptions, type ExportOutput } from './interchange/write-export';
export { IMPORT_FORMATS, detectFormat, type ImportFormat } from './interchange/detect';
export type { MappingReport, MappedRecord, FieldMapping } from './interchange/mapping-report';
export { ON_CONFLICT, type OnConflict, type ImportConflict } from './services/configuration/import-plan';
export type { ImportOptions, ImportOutcome, ImportResult } from './services/configuration/configuration-service';
export { startServer, type StartServerOptions, type RunningServer } from './server/start-server';
