import type { ApiErrorBody, ErrorCode } from '../../../shared/api'

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

/** An error meant for the caller: it crosses every shell as `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
  get status(): number {
    return STATUS[this.code]
  }
  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } }
  }
}

export const badRequest = (message: string, field?: string) => new ApiError('bad_request', message, field)
export const notFound = (what: string, id: string) => new ApiError('not_found', `${what} ${id} does not exist`)
export const conflict = (message: string) => new ApiError('conflict', message)
