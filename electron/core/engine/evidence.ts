// Screenshots and downloads kept as run artifacts. Every screenshot masks the fields that
// were filled from secrets (and MFA code fields), and any text on the page that shows a
// secret's value (a site that echoes what was typed), on whatever page it is taken.
import { existsSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import type { CDPSession, Download, Locator, Page } from 'playwright-core'
import type { Artifact } from '../../../shared/domain'
import type { RunControl } from '../runs/control'
import { ECHO_ATTR, pageShows } from './echo-guard'
import { viewportShot } from './viewport-shot'

/** Selectors whose elements are painted over in every screenshot of this run. */
export class MaskSet {
  private readonly selectors = new Set<string>()
  /** Secret values this run typed: painted over wherever a page shows them again. */
  private readonly values = new Set<string>()

  add(selector: string): void {
    this.selectors.add(selector)
  }

  /** A secret's value the run revealed; too short a value would mask half the page. */
  addValue(value: string): void {
    if (value.length >= 4) this.values.add(value)
  }

  /**
   * Whether any page shows a secret's value in its address, title, text or a field. A trace
   * records all of them, so a page that echoes a secret must not be kept in one.
   */
  async anyEchoed(pages: Page[]): Promise<boolean> {
    if (this.values.size === 0) return false
    for (const p of pages) if (await pageShows(p, [...this.values])) return true
    return false
  }

  /** Tags the elements of the page that show a secret's value, for locators() to mask. */
  async markEchoes(page: Page): Promise<void> {
    if (this.values.size > 0) await pageShows(page, [...this.values], true)
  }

  list(): string[] {
    return [...this.selectors]
  }

  /** Whether a masked field, in any frame of these pages, holds a value (only that: no value leaves the page). */
  async anyFilled(pages: Page[]): Promise<boolean> {
    if (this.selectors.size === 0) return false
    const checks: Array<Promise<boolean>> = []
    for (const p of pages) {
      if (p.isClosed()) continue
      for (const f of p.frames()) {
        for (const sel of this.selectors) {
          checks.push(
            f
              .locator(sel)
              // Serialised into the page: self-contained, no outside names (and no named
              // functions, which esbuild's keepNames would wrap in a helper the page lacks).
              .evaluateAll((els) =>
                els.some((e) => {
                  const v = (e as unknown as { value?: unknown }).value
                  return typeof v === 'string' && v !== ''
                }),
              )
              // A frame that cannot answer right now might still hold the value: stay safe.
              .catch(() => !f.isDetached()),
          )
        }
      }
    }
    return (await Promise.all(checks)).some(Boolean)
  }

  /** Locators for every frame of the page: a secret may sit in an iframe's login form. */
  locators(page: Page): Locator[] {
    if (this.selectors.size === 0 && this.values.size === 0) return []
    const frames = page
      .frames()
      .filter((f) => !f.isDetached())
      .slice(0, 20)
    // The echo tag, never the value: a locator's selector goes into the trace.
    const echoes = this.values.size > 0 ? [`[${ECHO_ATTR}]`] : []
    return frames.flatMap((f) => [...this.list(), ...echoes].map((s) => f.locator(s)))
  }
}

/** A file name from anything: no folders, no odd characters, never empty or hidden. */
export function safeFileName(name: string, fallback = 'file'): string {
  const base = basename(name.replace(/\\/g, '/'))
    .replace(/[^A-Za-z0-9._ -]+/g, '-')
    .replace(/^[.\s-]+/, '')
    .trim()
    .slice(0, 120)
  return base || fallback
}

export class Evidence {
  constructor(
    private readonly ctl: RunControl,
    readonly masks: MaskSet,
    /** A CDP session already open on a page, if any (the prompt watcher's), for viewport shots. */
    private readonly sessionFor: (page: Page) => CDPSession | null = () => null,
  ) {}

  /** A path in the evidence folder that does not exist yet: report.csv, report-2.csv, … */
  freePath(fileName: string): string {
    const dir = this.ctl.evidenceDir()
    const ext = extname(fileName)
    const stem = fileName.slice(0, fileName.length - ext.length)
    let candidate = join(dir, fileName)
    for (let n = 2; existsSync(candidate); n++) candidate = join(dir, `${stem}-${n}${ext}`)
    return candidate
  }

  async screenshot(
    page: Page,
    name: string,
    opts: { fullPage?: boolean; selector?: string; timeout: number },
  ): Promise<Artifact> {
    const file = this.freePath(`${safeFileName(name, 'screenshot')}.png`)
    await this.masks.markEchoes(page)
    const mask = this.masks.locators(page)
    const common = { path: file, mask, timeout: opts.timeout }
    if (opts.selector) await page.locator(opts.selector).first().screenshot(common)
    else if (!opts.fullPage && mask.length === 0) await viewportShot(page, file, opts.timeout, this.sessionFor(page))
    else await page.screenshot({ ...common, fullPage: opts.fullPage ?? false })
    return this.ctl.addArtifact('screenshot', name, file)
  }

  async download(download: Download, requested: string | null): Promise<Artifact> {
    const name = safeFileName(requested ?? download.suggestedFilename(), 'download')
    const file = this.freePath(name)
    await download.saveAs(file)
    const failure = await download.failure()
    if (failure) throw new Error(`The download failed: ${failure}`)
    return this.ctl.addArtifact('download', basename(file), file)
  }
}
