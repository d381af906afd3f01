// Profiles as first-class objects and their login health. Health moves only here:
//   unknown ─check passes─▶ ok ─check fails─▶ stale ─login (check passes)─▶ ok
// (a check that cannot run, a changed check or a deleted folder reads `unknown`; `checking`
// is shown while a check run is in flight). Going stale raises `login-stale` and puts the
// tracks whose runs use the profile in `waiting`; going ok clears both. One check per
// profile at a time: a second request joins the one in flight.
import { join } from 'node:path'
import type { Run } from '../../../shared/domain'
import { DEFAULT_LEAD_MINUTES, type ProfileCheck, type ProfileHealth, type ProfileView } from '../../../shared/profiles'
import { badRequest, DomainError } from '../errors'
import type { CoreContext } from '../context'
import { stateOf } from '../domain/track-rules'
import { CheckExecutor, LoginExecutor, type CheckOutcome, type ProfileRunDeps } from '../engine/profile-runs'
import type { RunExecutor } from '../runs/control'
import { SYSTEM_ACTOR, type RunService } from '../runs/service'
import { ackAlert } from '../store/alerts'
import * as repo from '../store/profiles'
import { getRun } from '../store/runs'
import { trackFacts } from '../store/track-queries'
import { flowsByProfile, folderSize, knownProfiles, profileOfFlow } from './inventory'

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'blocked', 'interrupted'])

interface InFlight {
  runId: string
  outcome: Promise<CheckOutcome>
  settle(o: CheckOutcome): void
}

export interface ProfileServiceDeps {
  ctx: CoreContext
  runs: RunService
  engine: ProfileRunDeps
  /** How often interval checks are looked for (tests pass their own). */
  tickMs?: number
}

export class ProfileService {
  private readonly checks = new Map<string, InFlight>()
  private readonly logins = new Map<string, string>()
  private readonly freshWaiters = new Map<string, Set<() => void>>()
  private readonly unsubscribe: () => void
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly deps: ProfileServiceDeps) {
    // A check run that ends without reporting (canceled while queued, failed to start) still settles its joiners.
    this.unsubscribe = deps.ctx.bus.subscribe((msg) => {
      if (msg.type !== 'run.changed') return
      const d = msg.data as { runId: string; status: string }
      if (!TERMINAL.has(d.status)) return
      for (const [name, f] of this.checks) {
        if (f.runId !== d.runId) continue
        this.checks.delete(name)
        f.settle({ state: 'unknown', reason: `The check run ended ${d.status} before it could tell` })
        this.changed(name)
      }
      for (const [name, runId] of this.logins) if (runId === d.runId) this.logins.delete(name)
    })
  }

  private get store() {
    return this.deps.ctx.ws.store
  }

  private dir(name: string): string {
    return join(this.deps.ctx.ws.paths.profiles, name)
  }

  // ── reading ─────────────────────────────────────────────────────────────

  list(): ProfileView[] {
    const flows = flowsByProfile(this.store)
    const uses = repo.lastUses(this.store)
    return knownProfiles(this.store, this.deps.ctx.ws.paths.profiles, flows).map((name) => this.view(name, flows, uses))
  }

  get(name: string): ProfileView {
    const flows = flowsByProfile(this.store)
    if (!knownProfiles(this.store, this.deps.ctx.ws.paths.profiles, flows).includes(name)) throw unknownProfile(name)
    return this.view(name, flows, repo.lastUses(this.store))
  }

  private view(name: string, flows: Map<string, string[]>, uses: Map<string, string>): ProfileView {
    const rec = repo.getProfileRecord(this.store, name)
    const size = folderSize(this.dir(name))
    return {
      name,
      flows: flows.get(name) ?? [],
      lastUsedAt: uses.get(name) ?? rec?.lastUsedAt ?? null,
      size,
      health: this.health(name, rec, size !== null, uses.has(name)),
      check: rec?.check ?? null,
      checkRunId: this.checks.get(name)?.runId ?? null,
      loginRunId: this.logins.get(name) ?? null,
    }
  }

  private health(name: string, rec: repo.ProfileRecord | null, folder: boolean, used: boolean): ProfileHealth {
    const checkedAt = rec?.checkedAt ?? null
    const inFlight = this.checks.get(name)
    if (inFlight) return { state: 'checking', checkedAt, reason: `Checking now (run ${inFlight.runId})` }
    if (!folder) {
      const reason =
        used || checkedAt
          ? `The profile folder profiles/${name} is missing (deleted by hand?); its logins are gone. Log in again to recreate it.`
          : `The profile folder profiles/${name} does not exist yet: no run has used this profile.`
      return { state: 'unknown', checkedAt, reason }
    }
    if (!rec?.check) return { state: 'unknown', checkedAt, reason: 'No login check is set for this profile' }
    return { state: rec.healthState, checkedAt, reason: rec.healthReason }
  }

  // ── changing ────────────────────────────────────────────────────────────

  /** Sets (or removes) a profile's login check; creates the profile if it is new. */
  define(name: string, check: ProfileCheck | null, by: string): ProfileView {
    repo.setProfileCheck(this.store, name, check)
    // A changed check says nothing about the login yet; tracks stop waiting on the old verdict.
    this.releaseTracks(name)
    this.deps.ctx.log.info('profile check set', { profile: name, by, check: check ? check.url : null })
    this.changed(name)
    return this.get(name)
  }

  /** Starts a check run, or returns the one already in flight for this profile. */
  check(name: string, by: string): Run {
    return getRun(this.store, this.startCheck(name, by).runId)!
  }

  private startCheck(name: string, by: string): InFlight {
    const joined = this.checks.get(name)
    if (joined) return joined
    this.mustCheck(name)
    let settle!: (o: CheckOutcome) => void
    const outcome = new Promise<CheckOutcome>((resolve) => (settle = resolve))
    const entry: InFlight = { runId: '', outcome, settle }
    // Registered before the run exists so a check asked for meanwhile joins this one.
    this.checks.set(name, entry)
    try {
      entry.runId = this.deps.runs.createProfileRun('check', name, by).id
    } catch (err) {
      this.checks.delete(name)
      throw err
    }
    this.changed(name)
    return entry
  }

  /** Opens a login run (a takeover of the profile's browser at its login page), or returns the open one. */
  login(name: string, by: string): Run {
    const open = this.logins.get(name)
    if (open) return getRun(this.store, open)!
    this.mustCheck(name)
    const run = this.deps.runs.createProfileRun('login', name, by)
    this.logins.set(name, run.id)
    this.changed(name)
    return run
  }

  // ── for the scheduler ───────────────────────────────────────────────────

  /**
   * Checks the profile now (joining a check in flight) and says whether a run may use it:
   * 'stale' when the check found it logged out. A profile without a check, or a check that
   * could not run, is 'ok': the run goes ahead and meets the site as it is.
   */
  async ensureFresh(name: string): Promise<'ok' | 'stale'> {
    const rec = repo.getProfileRecord(this.store, name)
    if (!rec?.check) return 'ok'
    const outcome = await this.startCheck(name, SYSTEM_ACTOR).outcome
    return outcome.state === 'stale' ? 'stale' : 'ok'
  }

  /** Resolves when the profile is fresh again (a login passed); rejects when signal aborts. */
  waitForLogin(name: string, signal?: AbortSignal): Promise<void> {
    if (repo.getProfileRecord(this.store, name)?.healthState === 'ok') return Promise.resolve()
    return new Promise((resolve, reject) => {
      const set = this.freshWaiters.get(name) ?? new Set()
      this.freshWaiters.set(name, set)
      const done = (): void => {
        set.delete(done)
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        set.delete(done)
        reject(new Error(`Stopped waiting for a login to ${name}`))
      }
      set.add(done)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** When the profile was last checked (ms since the epoch), or null. */
  lastCheckedAt(name: string): number | null {
    const at = repo.getProfileRecord(this.store, name)?.checkedAt
    return at ? Date.parse(at) : null
  }

  /** Whether a check of the profile is running now. */
  isChecking(name: string): boolean {
    return this.checks.has(name)
  }

  /** Whether the last check found the profile logged out (a scheduled run then waits for a login). */
  isStale(name: string): boolean {
    return repo.getProfileRecord(this.store, name)?.healthState === 'stale'
  }

  /** The profile a saved flow's runs use, or null. */
  profileOfFlow(flowId: string): string | null {
    return profileOfFlow(this.store, flowId)
  }

  /** How long before a scheduled run its profile is checked (the check's leadMinutes, default 30 min). */
  leadTimeMs(name: string): number {
    const lead = repo.getProfileRecord(this.store, name)?.check?.leadMinutes
    return (lead ?? DEFAULT_LEAD_MINUTES) * 60_000
  }

  // ── executors (the run service's check and login) ───────────────────────

  executorFor(run: Run): RunExecutor {
    const name = run.profile ?? run.params.profile ?? ''
    const check = repo.getProfileRecord(this.store, name)?.check
    if (!check)
      return { execute: async () => ({ status: 'failed', error: `Profile ${name} has no login check any more` }) }
    const done = (o: CheckOutcome): void => this.record(name, o, run.id)
    return run.kind === 'login'
      ? new LoginExecutor(this.deps.engine, name, check, done)
      : new CheckExecutor(this.deps.engine, name, check, done)
  }

  /** The health state machine: store the outcome, then alert and mark (or free) tracks. */
  record(name: string, outcome: CheckOutcome, runId: string): void {
    const before = repo.getProfileRecord(this.store, name)?.healthState ?? 'unknown'
    const run = getRun(this.store, runId)
    const by = run?.kind === 'login' ? this.loggedInBy(runId) : null
    const reason = by ? `${outcome.reason} (logged in by ${by})` : outcome.reason
    repo.setProfileHealth(this.store, name, outcome.state, reason)
    if (outcome.state === 'stale') {
      if (before !== 'stale' && run) {
        this.deps.runs.raise(
          run,
          'login-stale',
          `Profile ${name} is not logged in any more (${outcome.reason}); log in now from Profiles`,
        )
      }
      this.holdTracks(name)
    } else if (outcome.state === 'ok') {
      for (const id of repo.openLoginStaleAlerts(this.store, name)) {
        ackAlert(this.store, id)
        this.deps.ctx.bus.emit('alert.changed', { alertId: id })
      }
      this.releaseTracks(name)
      if (by)
        this.deps.runs.append(runId, [
          { type: 'log', data: { level: 'info', message: `Profile ${name} logged in by ${by}` } },
        ])
      for (const w of [...(this.freshWaiters.get(name) ?? [])]) w()
    }
    const f = this.checks.get(name)
    if (f?.runId === runId) {
      this.checks.delete(name)
      f.settle(outcome)
    }
    this.deps.ctx.log.info('profile health', { profile: name, from: before, to: outcome.state, runId })
    this.changed(name)
  }

  /** Who held the takeover view while the profile was logged in (names only: never what they typed). */
  private loggedInBy(runId: string): string | null {
    const people = this.deps.runs.events
      .list(runId, 0, 10_000)
      .filter((e) => e.type === 'takeover.started' && typeof e.data.by === 'string')
      .map((e) => e.data.by as string)
    return people.length ? [...new Set(people)].join(', ') : null
  }

  private holdTracks(name: string): void {
    const linked = repo.tracksUsingProfile(this.store, name)
    const facts = trackFacts(this.store, linked)
    const open = linked.filter((id) => {
      const f = facts.get(id)
      return f && stateOf(f) !== 'done'
    })
    for (const id of repo.markTracksWaiting(this.store, name, open))
      this.deps.ctx.bus.emit('track.changed', { trackId: id })
  }

  private releaseTracks(name: string): void {
    for (const id of repo.clearTracksWaiting(this.store, name)) this.deps.ctx.bus.emit('track.changed', { trackId: id })
  }

  // ── interval checks ─────────────────────────────────────────────────────

  /** Starts the interval checks (the app and host; not one-shot CLI commands). */
  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.deps.tickMs ?? 30_000)
    this.timer.unref()
  }

  /** Starts the checks whose interval has passed; returns the profiles it started. */
  tick(now = Date.now()): string[] {
    const started: string[] = []
    for (const rec of repo.listProfileRecords(this.store)) {
      const every = rec.check?.intervalMinutes
      if (!every || this.checks.has(rec.name) || this.logins.has(rec.name)) continue
      if (rec.checkedAt && now - Date.parse(rec.checkedAt) < every * 60_000) continue
      try {
        this.startCheck(rec.name, SYSTEM_ACTOR)
        started.push(rec.name)
      } catch (err) {
        this.deps.ctx.log.warn('interval check did not start', { profile: rec.name, error: String(err) })
      }
    }
    return started
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.unsubscribe()
  }

  private mustCheck(name: string): repo.ProfileRecord {
    this.get(name)
    const rec = repo.getProfileRecord(this.store, name)
    if (!rec?.check)
      throw badRequest(`Profile ${name} has no login check; set one (url and logged-in condition) first`, 'check')
    return rec
  }

  private changed(name: string): void {
    this.deps.ctx.bus.emit('profile.changed', { name })
  }
}

export function unknownProfile(name: string): DomainError {
  return new DomainError('not_found', `Profile ${name} does not exist (no flow, folder or check names it)`, 'name')
}
