// One error shape for every API failure: { error: CODE, message, field? } with a 4xx/5xx status.
import { type z } from 'zod';
import { type ErrorResponse } from '../../../core/contracts/common';

export class ApiError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string, readonly field?: string) { super(message); }

  toBody(): ErrorResponse {
    return this.field === undefined ? { error: this.code, message: this.message } : { error: this.code, message: this.message, field: this.field };
  }
}

/** The first zod issue as a 400 naming the offending field (dotted path, e.g. "lines.0.qty"). */
export function validationError(where: 'body' | 'query' | 'params', error: z.ZodError): ApiError {
  const issue = meantIssue(error.issues[0]!);
  const path = issue.path.map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = (issue as { keys?: string[] }).keys?.[0] ?? '';
    // An empty key is still a field the caller sent: name it visibly.
    const name = key === '' ? '""' : key;
    const field = path ? `${path}.${name}` : name;
    return new ApiError(400, 'INVALID_REQUEST', `${where} field ${field}: not a known field`, field);
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'required';
  const field = path || where;
  return new ApiError(400, 'INVALID_REQUEST', `${where} field ${field}: ${message}`, field);
}

/**
 * A failed union (e.g. a paper or a scanned prescription) reported as the failure of the form the
 * caller meant: the only option whose shape fitted (no unknown keys, right type at its root). When
 * that is ambiguous the union's own issue stands. Option issue paths are relative to the union.
 */
function meantIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const fitted = issue.errors.filter((option) => option.length > 0
    && !option.some((i) => i.path.length === 0 && (i.code === 'unrecognized_keys' || i.code === 'invalid_type')));
  if (fitted.length !== 1) return issue;
  const inner = fitted[0]![0]!;
  return meantIssue({ ...inner, path: [...issue.path, ...inner.path] });
}
