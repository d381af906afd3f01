// The one place domain errors become HTTP: a status per code and the error body of
// DESIGN.md ("HTTP API"). Everything below the router raises DomainError (core/errors.ts).
import type { ApiErrorBody, ErrorCode, ProblemLocation } from '../../../shared/api'
import { DomainError } from '../errors'

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  name_taken: 409,
  rate_limited: 429,
  internal: 500,
}

export function httpStatus(code: ErrorCode): number {
  return STATUS[code]
}

export function errorBody(code: ErrorCode, message: string, field?: string, problems?: ProblemLocation[]): ApiErrorBody {
  return { error: { code, message, ...(field ? { field } : {}), ...(problems ? { problems } : {}) } }
}

/** A domain error as the HTTP response every shell sends; anything else is the caller's 500. */
export function toHttp(err: DomainError): { status: number; body: ApiErrorBody } {
  return { status: STATUS[err.code], body: errorBody(err.code, err.message, err.field, err.problems) }
}

export { DomainError }
