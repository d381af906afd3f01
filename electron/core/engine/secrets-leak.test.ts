// A secret typed by a flow must not be stored anywhere: not in the database (or its WAL),
// not in any evidence file (screenshots, downloads, trace zips, inflated), not in logs.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { launchArgs, resolveExecutable } from './browsers'
import { engineHarness, zipEntries, type EngineHarness } from '../../../test/support/engine-harness'

const SECRET = 'Opdesk-S3cret-7f2c9e!'

let site: FixtureSite
let h: EngineHarness
let browser: Browser

beforeAll(async () => {
  site = await startFixtureSite()
  h = await engineHarness()
  await h.secrets.put('acme_pass', SECRET)
  browser = await chromium.launch({ executablePath: resolveExecutable(), args: launchArgs() })
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
  await site?.close()
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Every place the bytes were found: "file" or "file!entry" for a zip entry. */
function findIn(files: string[], needle: Buffer): string[] {
  const hits: string[] = []
  for (const f of files) {
    const bytes = readFileSync(f)
    if (bytes.includes(needle)) hits.push(f)
    if (f.endsWith('.zip')) for (const e of zipEntries(bytes)) if (e.data.includes(needle)) hits.push(`${f}!${e.name}`)
  }
  return hits
}

/** RGB of the pixel at (x, y) of a PNG, decoded by Chromium itself (no image library needed). */
async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
  const page = await browser.newPage()
  try {
    await page.setContent(`<img id="i" src="data:image/png;base64,${png.toString('base64')}">`)
    return await page.evaluate(
      `(() => { const img = document.getElementById('i'); const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight; const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        return Array.from(g.getImageData(${x}, ${y}, 1, 1).data.slice(0, 3)); })()`,
    )
  } finally {
    await page.close()
  }
}

describe('secrets', () => {
  it('never stores a filled secret: database, evidence, trace zips and logs stay clean', async () => {
    const flow = `name: Sign in with a secret
trace: true
steps:
  - goto: ${site.url}/form
  - fill: { selector: "#name", value: "\${secrets.acme_pass}" }
  - screenshot: { name: filled }
  - goto: ${site.url}/login-wall
  - fill: { selector: "#email", value: "ops@example.com" }
  - fill: { selector: "#password", value: "\${secrets.acme_pass}" }
  - click: "button[type=submit]"
  - expect: Welcome back
  - screenshot: { name: signed-in }
`
    const run = await h.finished(h.start(flow).id)
    expect(run.error).toBeNull()
    expect(run.status).toBe('succeeded')

    // The trace stopped before the secret and started again once no field held it.
    const traces = h.artifacts(run.id).filter((a) => a.kind === 'trace')
    // Segments: /form until the secret fill; on /login-wall (once no field held the secret)
    // until the password; on /done (after the page holding it was gone) to the end.
    expect(traces.map((a) => a.name)).toEqual(['trace-1', 'trace-2', 'trace-3'])
    const entry = (i: number, name: string) =>
      zipEntries(readFileSync(join(h.core.ws.paths.root, traces[i]!.path)))
        .find((e) => e.name === name)!
        .data.toString()
    expect(entry(0, 'trace.network')).toContain('/form')
    expect(entry(1, 'trace.trace')).toContain('ops@example.com')
    expect(entry(2, 'trace.trace')).toContain('Welcome back')
    expect(entry(2, 'trace.network')).not.toContain('/login-wall') // the POST with the password went unrecorded

    // The fill events say where the value came from, not what it was.
    const fills = h.events(run.id).filter((e) => e.type === 'step.started' && e.data.action === 'fill')
    expect(fills.map((e) => e.data.valueFrom)).toEqual(['secret', 'literal', 'secret'])
    expect(fills[0]!.data.length).toBe(SECRET.length)

    // The field that shows the secret in clear text is painted over in the screenshot.
    const probe = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await probe.goto(`${site.url}/form`)
    const box = (await probe.locator('#name').boundingBox())!
    await probe.close()
    const shot = h.artifacts(run.id).find((a) => a.name === 'filled')!
    const rgb = await pixel(
      readFileSync(join(h.core.ws.paths.root, shot.path)),
      Math.round(box.x + 10),
      Math.round(box.y + box.height / 2),
    )
    expect(rgb).toEqual([255, 0, 255])

    const needle = Buffer.from(SECRET)
    const db = h.core.ws.paths.db
    const stores = [db, `${db}-wal`].filter((f) => {
      try {
        return statSync(f).size > 0
      } catch {
        return false
      }
    })
    expect(findIn(stores, needle)).toEqual([])
    const evidence = filesUnder(h.core.ws.paths.evidence)
    expect(evidence.length).toBeGreaterThanOrEqual(5)
    expect(findIn(evidence, needle)).toEqual([])
    expect(h.log.lines.join('\n')).not.toContain(SECRET)
  })

  it('leaves no typed value in a persistent profile (autofill, saved passwords, session restore)', async () => {
    const flow = `name: Profile sign-in
profile: leak-check
steps:
  - goto: ${site.url}/form
  - fill: { selector: "#name", value: "\${secrets.acme_pass}" }
  - fill: { selector: "#company", value: "Literal-Company-77" }
  - click: "button[type=submit]"
  - goto: ${site.url}/login-wall
  - fill: { selector: "#email", value: "ops@example.com" }
  - fill: { selector: "#password", value: "\${secrets.acme_pass}" }
  - click: "button[type=submit]"
  - expect: Welcome back
`
    const run = await h.finished(h.start(flow).id)
    expect(run.error).toBeNull()
    const profile = filesUnder(join(h.core.ws.paths.profiles, 'leak-check'))
    expect(profile.length).toBeGreaterThan(10)
    // Chromium keeps these by default in "Web Data", "Login Data" and "Sessions/".
    for (const typed of [SECRET, 'Literal-Company-77', 'ops@example.com'])
      expect(findIn(profile, Buffer.from(typed))).toEqual([])
  })

  it('paints over a secret the page echoes back, and keeps that page out of the trace', async () => {
    const flow = `name: Echoed secret on screen
trace: true
steps:
  - goto: ${site.url}/form
  - fill: { selector: "#name", value: "\${secrets.acme_pass}" }
  - click: "button[type=submit]"
  - expect: { selector: "#result", text: "Received" }
  - screenshot: { name: echoed }
  - goto: ${site.url}/done
  - expect: Welcome back
`
    const run = await h.finished(h.start(flow).id)
    expect(run.status, run.error ?? '').toBe('succeeded')
    // Where the page shows the value, the screenshot shows the mask colour.
    const probe = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await probe.goto(`${site.url}/form`)
    await probe.fill('#name', SECRET)
    await probe.click('button[type=submit]')
    const box = (await probe.getByText(SECRET, { exact: false }).boundingBox())!
    await probe.close()
    const shot = h.artifacts(run.id).find((a) => a.name === 'echoed')!
    const rgb = await pixel(
      readFileSync(join(h.core.ws.paths.root, shot.path)),
      Math.round(box.x + box.width / 2),
      Math.round(box.y + box.height / 2),
    )
    expect(rgb).toEqual([255, 0, 255])
    // The trace came back only once the page showing the value was gone.
    const traces = h.artifacts(run.id).filter((a) => a.kind === 'trace')
    expect(traces.length).toBe(2)
    expect(findIn(filesUnder(h.core.ws.paths.evidence), Buffer.from(SECRET))).toEqual([])
  })

  it('redacts a secret the page echoes back into outputs', async () => {
    const flow = `name: Echoed secret
steps:
  - goto: ${site.url}/form
  - fill: { selector: "#name", value: "\${secrets.acme_pass}" }
  - click: "button[type=submit]"
  - extract: { name: summary, selector: "#result" }
`
    const run = await h.finished(h.start(flow).id)
    expect(run.status).toBe('succeeded')
    expect(run.outputs).toEqual({ summary: 'Received: name=••••••, company=, plan=basic, updates=no' })
    const db = h.core.ws.paths.db
    expect(
      findIn(
        [db, `${db}-wal`].filter((f) => statSync(f, { throwIfNoEntry: false })),
        Buffer.from(SECRET),
      ),
    ).toEqual([])
  })
})

describe('Playwright trace chunks', () => {
  // Why trace.ts restarts tracing instead of using startChunk/stopChunk: on a context, the
  // network recorder runs on between chunks and the next chunk carries the whole log.
  it('leak a POST sent between chunks into the next chunk', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const dir = h.core.ws.paths.exports
    try {
      await context.tracing.start({ screenshots: true, snapshots: true })
      await page.goto(`${site.url}/login-wall`)
      await context.tracing.stopChunk({ path: join(dir, 'chunk-1.zip') })
      await page.fill('#email', 'ops@example.com')
      await page.fill('#password', SECRET)
      await page.click('button[type=submit]')
      await page.waitForURL('**/done')
      await context.tracing.startChunk()
      await page.goto(`${site.url}/form`)
      await context.tracing.stopChunk({ path: join(dir, 'chunk-2.zip') })
      await context.tracing.stop()
      expect(findIn([join(dir, 'chunk-1.zip')], Buffer.from(SECRET))).toEqual([])
      expect(findIn([join(dir, 'chunk-2.zip')], Buffer.from(SECRET)).length).toBeGreaterThan(0)
    } finally {
      await context.close()
    }
  })
})
