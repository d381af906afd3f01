// Optional Playwright trace of a run, cut into segments around anything a trace must not
// hold. A trace records filled values, DOM snapshots (input values included, masks do
// not apply) and network bodies in plain text, so it is off while a secret is typed or
// still sits in a field, and while a person works on an MFA prompt.
//
// Segments are whole tracing.start()/stop() pairs, not startChunk()/stopChunk(): on a
// BrowserContext the network recorder keeps running between chunks and every chunk's zip
// carries the whole network log since start(), so a login POST sent while "paused" would
// land in the next chunk (pinned by a test in secrets-leak.test.ts).
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import type { RunControl } from '../runs/control'
import { stepGroupTitle } from '../runs/trace-stitch'

export class TraceRecorder {
  private recording = false
  private segments = 0
  private finished = false
  // A trace group per flow step: the viewer shows the flow's steps, and a timeline step
  // links to its group (runs/trace-stitch.ts keeps only what sits under one).
  private inStep = false

  constructor(
    private readonly context: BrowserContext,
    private readonly ctl: RunControl,
    readonly enabled: boolean,
  ) {}

  get isRecording(): boolean {
    return this.recording
  }

  /** Starts (or restarts) recording; a no-op when tracing is off or already on. */
  async start(): Promise<void> {
    if (!this.enabled || this.finished || this.recording) return
    try {
      await this.context.tracing.start({
        screenshots: true,
        snapshots: true,
        title: this.ctl.run.flowName ?? this.ctl.run.id,
      })
      this.recording = true
    } catch (err) {
      this.ctl.log.warn('could not start the trace', { runId: this.ctl.run.id, error: String(err) })
    }
  }

  /** Opens flow step `index`'s group in the trace; a no-op while not recording. */
  async stepStarted(index: number, label: string): Promise<void> {
    if (!this.recording) return
    try {
      await this.context.tracing.group(stepGroupTitle(index, label))
      this.inStep = true
    } catch (err) {
      this.ctl.log.warn('could not mark a step in the trace', { runId: this.ctl.run.id, error: String(err) })
    }
  }

  /** Closes the step's group (when the segment that opened it is still recording). Never throws. */
  async stepEnded(): Promise<void> {
    if (!this.inStep) return
    this.inStep = false
    if (this.recording) await this.context.tracing.groupEnd().catch(() => {})
  }

  /** Ends the current segment and keeps it as `trace-N.zip`; a no-op when not recording. */
  async pause(): Promise<void> {
    if (!this.recording) return
    this.recording = false
    this.inStep = false
    this.segments += 1
    const name = `trace-${this.segments}`
    const file = join(this.ctl.evidenceDir(), `${name}.zip`)
    try {
      await this.context.tracing.stop({ path: file })
      await this.ctl.addArtifact('trace', name, file)
    } catch (err) {
      // The context is gone (cancel, crash): that segment is lost, the run's outcome is not.
      this.ctl.log.warn('could not save a trace segment', { runId: this.ctl.run.id, segment: name, error: String(err) })
    }
  }

  /** Ends the current segment without keeping it (it recorded something it must not). */
  async discard(): Promise<void> {
    if (!this.recording) return
    this.recording = false
    this.inStep = false
    await this.context.tracing.stop().catch((err: unknown) => {
      this.ctl.log.warn('could not drop a trace segment', { runId: this.ctl.run.id, error: String(err) })
    })
  }

  async finish(): Promise<void> {
    await this.pause()
    this.finished = true
  }
}
