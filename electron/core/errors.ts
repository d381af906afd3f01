// Errors the core raises for its callers: what went wrong in the domain's words (a bad
// input, a missing thing, a state that forbids the move). Each shell turns them into its own
// transport — HTTP statuses in the router (api/errors.ts), exit codes in the CLI — so the
// store and the services never speak HTTP.
import type { ErrorCode, ProblemLocation } from '../../shared/api'

/** An error meant for the caller; `code` is the API's error code (DESIGN.md "HTTP API"). */
export class DomainError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 'internal'>,
    message: string,
    readonly field?: string,
    /** Every located problem of a refused flow file, for editors to mark. */
    readonly problems?: ProblemLocation[],
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const badRequest = (message: string, field?: string) => new DomainError('bad_request', message, field)
export const notFound = (what: string, id: string) => new DomainError('not_found', `${what} ${id} does not exist`)
export const conflict = (message: string) => new DomainError('conflict', message)
export const forbidden = (message: string) => new DomainError('forbidden', message)
