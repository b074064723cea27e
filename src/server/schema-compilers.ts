import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors/errors';
import { HttpError, HttpErrorCode } from './http-error';

/** A zod issue as a detail naming the field: where in the request, then the path inside it. */
function detailsOf(part: string, issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: [part, ...issue.path.map(String)].filter((p) => p !== '').join('.'), message: issue.message }));
}

/**
 * Checks each part of a request against the route's zod schema. A body that does not fit is a VALIDATION_ERROR
 * (422) naming its fields, as the service would report it, and the body is passed on as sent, so the service
 * validates (and normalises) it again itself; a bad path, query or header is a malformed request (400).
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data: unknown) => {
    const result = schema.safeParse(data);
    if (httpPart === 'body') {
      if (result.success) return { value: data };
      return { error: new ValidationError('invalid request body', detailsOf('', result.error.issues)) };
    }
    if (result.success) return { value: httpPart === 'headers' ? data : result.data };
    const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'request');
    return { error: new HttpError(400, HttpErrorCode.USAGE_ERROR, `invalid ${part}`, detailsOf(part, result.error.issues)) };
  };

/**
 * JSON with `<`, `>` and `&` escaped as \u003c…: the same JSON text, but no byte of it can be read as markup,
 * whatever a client does with it (a stored `<img onerror=…>` name stays inert text).
 */
export function safeJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
