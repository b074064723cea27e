import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { IConfigurationService } from '../services/configuration/configuration-service';
import { HttpError, HttpErrorCode } from './http-error';

/** How a successful response is sent besides its data. */
export interface SuccessOptions {
  status?: number;
  /** The record version, sent as `ETag: "<version>"`. */
  version?: number;
  location?: string;
}

/**
 * Sends `{ ok: true, data }`, the CLI's `--json` success document; `degraded: true` when it was read from the last
 * snapshot while the store is away.
 */
export function sendData(reply: FastifyReply, configuration: IConfigurationService, data: unknown, options: SuccessOptions = {}): FastifyReply {
  if (options.version !== undefined) reply.header('etag', `"${options.version}"`);
  if (options.location !== undefined) reply.header('location', options.location);
  const degraded = configuration.health().degraded;
  return reply.code(options.status ?? 200).send({ ok: true, data, ...(degraded ? { degraded: true } : {}) });
}

/** The version an `If-Match: "<version>"` header names; undefined without one (or for `*`); 400 when malformed. */
export function expectedVersionOf(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new HttpError(400, HttpErrorCode.USAGE_ERROR, 'If-Match must be a record version in quotes, as an ETag gives it: "3"', [{ path: 'headers.if-match', message: 'must be "<version>"' }]);
  }
  return version;
}

/** The If-Match header, documented for the OpenAPI description. */
export const ifMatchHeaders = z.object({
  'if-match': z.string().optional().describe('the version the change was made against, as the ETag gave it: "3"'),
});

/** The success document, for the OpenAPI description. */
export function successSchema(data: z.ZodType): z.ZodType {
  return z.object({ ok: z.literal(true), data, degraded: z.literal(true).optional() });
}

/** The error document, for the OpenAPI description. */
export const errorSchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
    current: z.unknown().optional().describe('on a CONFLICT: the record as it is now'),
  }),
});
