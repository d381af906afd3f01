// Runs a browser flow for the run service: one browser context per run, steps in order
// with their timeouts, MFA prompts handed to a person, evidence and an optional trace.
// It talks to the run only through RunControl; statuses belong to the service.
import type { BrowserContext, Dialog, Page } from 'playwright-core'
import type { Run } from '../../../shared/domain'
import type { FlowDefinition, FlowStep } from '../../../shared/flow'
import { parseFlow, resolveParams } from '../flows/parse'
import type { ExecResult, RunControl, RunExecutor } from '../runs/control'
import type { WorkspaceSettings } from '../store/settings'
import {
  fill,
  fillSource,
  prepareFill,
  runPageAction,
  stepLabel,
  withParams,
  type ActionEnv,
  type PreparedFill,
} from './actions'
import type { BrowserLease, BrowserPool } from './browsers'
import { Evidence, MaskSet } from './evidence'
import { DEFAULT_RUN_TIMEOUT_MS, firstLine, RunGuard, type StepRef } from './guard'
import type { LivePages, LiveRegistration } from './live-pages'
import { PersonSteps } from './person-steps'
import { PromptWatcher } from './prompt-watcher'
import { TraceRecorder } from './trace'
import { RejectedError } from '../runs/control'
import { assistOnFailure } from './assist'
import { checkStep, guardNavigation, PolicyDenied, type StepPolicy } from './step-policy'
import { attemptWatched, LOOKS_ONLY, PERSON_STEPS, targetOf } from './watched-step'

export interface FlowExecutorDeps {
  pool: BrowserPool
  livePages: LivePages
  /** The workspace policy, applied again at each step and navigation (absent in engine unit tests). */
  policy?: StepPolicy
  setting<K extends keyof WorkspaceSettings>(key: K): WorkspaceSettings[K] | undefined
}

export class FlowExecutor implements RunExecutor {
  constructor(
    private readonly deps: FlowExecutorDeps,
    readonly run: Run,
    readonly profile: string | null,
  ) {}

  execute(ctl: RunControl): Promise<ExecResult> {
    return new FlowRun(this.deps, ctl, this.profile).execute()
  }
}

/** Everything one execution holds; the person-facing steps share it through this shape. */
export interface RunState {
  readonly ctl: RunControl
  readonly flow: FlowDefinition
  readonly guard: RunGuard
  readonly lease: BrowserLease
  readonly page: Page
  readonly trace: TraceRecorder
  readonly evidence: Evidence
  readonly params: Record<string, string>
  pages(): Page[]
  /** Restarts the trace once no secret or code field holds a value any more. */
  resumeTrace(): Promise<void>
  capture(name: string): Promise<void>
  /** Lets the takeover write what it still holds before the engine emits takeover.ended. */
  beforeWaitEnds(): void
}

// The same flow runs again and again (schedules, retries, concurrent runs): reading YAML
// costs as much as a step, so keep the last few parses. Keyed by the exact source.
const parsedFlows = new Map<string, ReturnType<typeof parseFlow>>()
function readFlow(source: string): ReturnType<typeof parseFlow> {
  const hit = parsedFlows.get(source)
  if (hit) return hit
  const parsed = parseFlow(source)
  if (parsedFlows.size >= 32) parsedFlows.delete(parsedFlows.keys().next().value!)
  parsedFlows.set(source, parsed)
  return parsed
}

// A prompt that comes back after every person (a site that keeps asking) must not loop forever.
const MAX_PROMPT_ROUNDS = 10

class FlowRun {
  private lease: BrowserLease | null = null
  private registration: LiveRegistration | null = null
  private readonly masks = new MaskSet()
  /** Set when the navigation guard refused a page load; the step that caused it fails with it. */
  private violation: string | null = null
  private watcher: PromptWatcher | null = null
  /** The last step failure may not be assisted (a policy denial, a rejected approval). */
  private lastFailureFinal = false

  constructor(
    private readonly deps: FlowExecutorDeps,
    private readonly ctl: RunControl,
    private readonly profile: string | null,
  ) {}

  async execute(): Promise<ExecResult> {
    const { ctl } = this
    const parsed = readFlow(ctl.run.flowSource ?? '')
    if (!parsed.ok) {
      const p = parsed.problems[0]
      return { status: 'failed', error: `The flow no longer reads: line ${p?.line}: ${p?.message}` }
    }
    const flow = parsed.flow
    const params = resolveParams(flow, ctl.run.params)
    if (!params.ok) return { status: 'failed', error: params.errors.join('; ') }
    if (ctl.run.phase !== 'execution') ctl.setPhase('execution')
    const guard = new RunGuard(ctl, flow.timeout ?? DEFAULT_RUN_TIMEOUT_MS, () => void this.lease?.release())
    let trace: TraceRecorder | null = null
    const acquiring = this.deps.pool.acquire({
      profile: this.profile,
      viewport: flow.viewport,
      signal: ctl.signal,
      onNote: (level, message) => ctl.emit('log', { level, message }),
    })
    try {
      const lease = await guard.race(acquiring)
      this.lease = lease
      guard.attach(lease)
      if (guard.haltReason) throw new Error('halted')
      const context = lease.context
      // A persistent profile opens with a blank page already; use it rather than a second window.
      const page = context.pages()[0] ?? (await guard.race(context.newPage()))
      this.watchDialogs(context)
      if (this.deps.policy)
        await guard.race(guardNavigation(context, this.deps.policy, ctl, flow, (m) => (this.violation = m)))
      this.registration = this.deps.livePages.register(ctl.run.id, context, page)
      trace = new TraceRecorder(context, ctl, flow.trace ?? this.deps.setting('runs.trace') ?? false)
      await guard.race(trace.start())
      const state = this.state(flow, params.params, guard, lease, page, trace)
      let people: PersonSteps | null = null
      if (flow.detectMfa) {
        this.watcher = new PromptWatcher(context, state.pages, (p) => people?.isDismissed(p) ?? false)
        await guard.race(this.watcher.start())
      }
      people = new PersonSteps(state, this.watcher)
      const env: ActionEnv = { page, ctl, params: params.params, timeout: 0, evidence: state.evidence }

      for (let i = 0; i < flow.steps.length;) {
        const error = await this.step(i, state, people, env)
        if (!error) {
          i++
          continue
        }
        if (!this.assistable(flow, guard)) return { status: 'failed', error }
        // Continue vs Retry vs Report: the page stays alive and a person decides.
        const d = await assistOnFailure(state, { index: i + 1, step: flow.steps[i]!, error })
        if (d.action === 'fail') return { status: 'failed', error: d.error }
        if (d.action === 'skip-step') i++
      }
      const last = flow.steps[flow.steps.length - 1]!
      if (this.watcher && last.detect !== false) {
        // A prompt the last step brought up (a login that asks for a code) is still the
        // run's: a person gets past it before the run calls itself done.
        const seen = await guard.race(this.watcher.settle())
        if (seen && (await guard.race(people.needsPerson(flow.steps.length, seen)))) {
          const failed = await guard.race(people.promptWait(seen, 'after the last step'))
          if (failed) return { status: 'failed', error: failed }
        }
      }
      ctl.setProgress(flow.steps.length, flow.steps.length, null)
      ctl.setPhase('review')
      await guard.race(state.capture('final'))
      ctl.setPhase('artifact')
      await guard.race(trace.finish())
      return { status: 'succeeded' }
    } catch (err) {
      return { status: 'failed', error: guard.explain(err, null) }
    } finally {
      this.watcher?.dispose()
      guard.dispose()
      // Keep what was traced so far (a failed run's trace is the one worth reading).
      if (trace && !guard.haltReason) await trace.finish().catch(() => {})
      this.registration?.dispose()
      await this.lease?.release()
      // Canceled while the browser was still starting: close the context once it exists.
      if (!this.lease)
        void acquiring.then(
          (l) => l.release(),
          () => {},
        )
    }
  }

  /** Runs step i; returns the run's error when it failed, else null. */
  private async step(i: number, s: RunState, people: PersonSteps, baseEnv: ActionEnv): Promise<string | null> {
    const { ctl, flow, guard } = s
    const index = i + 1
    const raw = flow.steps[i] as FlowStep
    let at: StepRef = { index, label: stepLabel(raw), line: raw.line }
    let prepared: PreparedFill | null = null
    try {
      const step = withParams(raw, baseEnv.params)
      at = { index, label: stepLabel(step), line: step.line }
      ctl.setProgress(index, flow.steps.length, at.label)
      if (this.deps.policy) await guard.race(checkStep(this.deps.policy, ctl, flow, step, index))
      const env: ActionEnv = { ...baseEnv, timeout: guard.stepTimeout(step, flow) }
      let detail: Record<string, unknown> = {}
      if (step.action === 'fill') {
        if (fillSource(step) === 'secret') {
          // Before the secret exists in this process: the trace stops, later screenshots mask the field.
          await guard.race(s.trace.pause())
          this.masks.add(step.selector)
        }
        try {
          prepared = prepareFill(step, env)
          if (prepared.info.valueFrom === 'secret') this.masks.addValue(prepared.value)
        } catch (err) {
          // A secret that cannot be read still gets its started/failed pair in the log.
          ctl.emit('step.started', {
            index,
            action: step.action,
            line: step.line,
            label: at.label,
            selector: step.selector,
            valueFrom: fillSource(step),
          })
          throw err
        }
        detail = prepared.info
      }
      const work = (timeout: number, signal?: AbortSignal): Promise<void> => {
        const env2 = { ...env, timeout, signal }
        if (step.action === 'fill') return fill(step, prepared!, env2)
        if (step.action === 'mfa') return people.mfaStep(step)
        if (step.action === 'approval') return people.approval(step, timeout)
        if (step.action === 'wait') return new Promise((r) => setTimeout(r, step.ms).unref())
        return runPageAction(step, env2)
      }
      const watcher = this.watcher && step.detect !== false && !PERSON_STEPS.has(step.action) ? this.watcher : null
      // A prompt already showing (or arriving with the page the last step opened) comes
      // before a step that would act on the page under it.
      let before: { navigations: number; hadTarget: boolean } | null = null
      if (watcher && !LOOKS_ONLY.has(step.action)) {
        const s0 = await guard.race(watcher.settle())
        if (s0 && (await guard.race(people.needsPerson(i, s0)))) {
          before = { navigations: people.navigationCount, hadTarget: (await guard.race(this.targetCount(s, step))) > 0 }
          const failed = await guard.race(
            people.promptWait(s0, `before step ${index} (${at.label}), which runs after the person`),
          )
          if (failed) throw new Error(failed)
        }
      }
      ctl.emit('step.started', { index, action: step.action, line: step.line, label: at.label, ...detail })
      await guard.race(s.trace.stepStarted(index, at.label))
      const t0 = performance.now()
      for (let attempt = 1; ; attempt++) {
        if (
          before?.hadTarget &&
          people.navigationCount > before.navigations &&
          (await guard.race(this.targetCount(s, step))) === 0
        ) {
          // The person went past the prompt and this step with it (pressed Enter on the
          // form the step would have submitted): its target was on the prompt's page and
          // left with it.
          ctl.emit('log', {
            level: 'info',
            message: `Step ${index} (${at.label}) was done by the person: the page moved on and its target is gone`,
          })
          break
        }
        if (!watcher) {
          await guard.race(work(env.timeout))
          break
        }
        const seen = await guard.race(
          attemptWatched({
            step,
            page: s.page,
            timeout: env.timeout,
            watcher,
            accept: (x) => people.needsPerson(i, x),
            work,
          }),
        )
        if (!seen) break
        if (attempt >= MAX_PROMPT_ROUNDS) throw new Error(`A sign-in prompt kept coming back (${attempt} times)`)
        before = { navigations: people.navigationCount, hadTarget: (await guard.race(this.targetCount(s, step))) > 0 }
        const failed = await guard.race(
          people.promptWait(
            seen,
            `while step ${index} (${at.label}) was waiting; the step runs again after the person`,
          ),
        )
        if (failed) throw new Error(failed)
      }
      prepared = null
      if (!LOOKS_ONLY.has(step.action)) this.watcher?.invalidate()
      if (this.violation) throw new Error(this.violation)
      await s.trace.stepEnded()
      ctl.emit('step.succeeded', { index, durationMs: Math.round(performance.now() - t0) })
    } catch (err) {
      prepared = null
      await s.trace.stepEnded()
      // A refused navigation surfaces as net::ERR_BLOCKED_BY_CLIENT; say why instead.
      const error = this.violation ? guard.explain(new Error(this.violation), at) : guard.explain(err, at)
      ctl.emit('step.failed', { index, error })
      if (!guard.haltReason) await s.capture(`failure-step-${index}`)
      // Policy said no, or a person rejected: nobody may fix that by hand and skip past it.
      this.lastFailureFinal = this.violation !== null || err instanceof PolicyDenied || err instanceof RejectedError
      return error
    }
    try {
      // A page that shows a secret's value (a site echoing what was typed) must not stay
      // in the trace: that segment is dropped, and recording waits until it is gone.
      if (s.trace.isRecording && (await guard.race(this.masks.anyEchoed(s.pages())))) {
        await guard.race(s.trace.discard())
        ctl.emit('log', {
          level: 'info',
          message: `Trace segment dropped after step ${index}: a page showed a secret's value`,
        })
      }
      await guard.race(s.resumeTrace())
      return null
    } catch (err) {
      return guard.explain(err, at)
    }
  }

  /** Whether a failed step may wait for a person: the flow or the run asks for it, and nothing final stopped it. */
  private assistable(flow: FlowDefinition, guard: RunGuard): boolean {
    const mode = flow.onFailure ?? this.ctl.run.onFailure
    return mode === 'assist' && !guard.haltReason && !this.lastFailureFinal
  }

  /** How many elements an acting step's target matches on the run's page now (-1: not an acting step). */
  private async targetCount(s: RunState, step: FlowStep): Promise<number> {
    const target = targetOf(step)
    if (!target || s.page.isClosed()) return -1
    return s.page
      .locator(target.selector)
      .count()
      .catch(() => -1)
  }

  private state(
    flow: FlowDefinition,
    params: Record<string, string>,
    guard: RunGuard,
    lease: BrowserLease,
    page: Page,
    trace: TraceRecorder,
  ): RunState {
    const { ctl, masks } = this
    const evidence = new Evidence(ctl, masks, (p) => this.watcher?.sessionFor(p) ?? null)
    const pages = (): Page[] => this.registration?.live.pages() ?? [page]
    return {
      ctl,
      flow,
      guard,
      lease,
      page,
      trace,
      evidence,
      params,
      pages,
      beforeWaitEnds: () => this.deps.livePages.waitEnding(ctl.run.id),
      resumeTrace: async () => {
        if (!trace.enabled || trace.isRecording || guard.haltReason) return
        if ((await masks.anyFilled(pages())) || (await masks.anyEchoed(pages()))) return
        await trace.start()
      },
      capture: async (name) => {
        const target = page.isClosed() ? (pages()[0] ?? page) : page
        try {
          // Short: a page stuck mid-navigation makes a screenshot wait for the navigation.
          await evidence.screenshot(target, name, { timeout: 5_000 })
        } catch (err) {
          if (!guard.haltReason)
            ctl.emit('log', { level: 'warn', message: `Could not take the ${name} screenshot: ${firstLine(err)}` })
        }
      },
    }
  }

  // Playwright dismisses dialogs nobody handles; with a listener we must answer every one.
  private watchDialogs(context: BrowserContext): void {
    const watch = (p: Page): void => {
      p.on('dialog', (d) => this.onDialog(d, p))
    }
    context.pages().forEach(watch)
    context.on('page', watch)
  }

  private onDialog(dialog: Dialog, page: Page): void {
    const type = dialog.type()
    const message = dialog.message().slice(0, 500)
    const person = this.registration?.dialogHandler()
    if (person) {
      this.ctl.emit('log', {
        level: 'info',
        message: `Dialog (${type}) shown to the person holding the page`,
        dialog: { type, message },
      })
      Promise.resolve()
        .then(() => person(dialog, page))
        .catch(() => dialog.dismiss().catch(() => {}))
      return
    }
    const accept = type === 'alert' || type === 'beforeunload'
    this.ctl.emit('log', {
      level: 'info',
      message: `Dialog (${type}) ${accept ? 'accepted' : 'dismissed'}: ${message}`,
      dialog: { type, message },
    })
    void (accept ? dialog.accept() : dialog.dismiss()).catch(() => {})
  }
}
