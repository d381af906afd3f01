// A viewport screenshot taken straight from the page's renderer, for when nothing on the
// page needs masking. Playwright's page.screenshot first sets up its utility world in
// every frame of the page (two scripts of about 200 KB each, sent and compiled) to hide
// the caret and wait for web fonts; on the run's last page, which never needed that world,
// that was most of the final screenshot's cost. Web fonts are still awaited here.
import { writeFile } from 'node:fs/promises'
import type { CDPSession, Page } from 'playwright-core'

/**
 * Writes a PNG of the page's viewport to `file`; rejects with a TimeoutError after `timeoutMs`.
 * `session` is a CDP session already open on the page (the prompt watcher's), which saves
 * attaching and detaching one; without it a session is opened for the shot.
 */
export async function viewportShot(page: Page, file: string, timeoutMs: number, session?: CDPSession | null): Promise<void> {
  const own = !session
  const opening = session ? Promise.resolve(session) : page.context().newCDPSession(page)
  const shoot = async (): Promise<Buffer> => {
    const session = await opening
    // As Playwright does: a page whose fonts are still loading would be captured in fallbacks.
    await session
      .send('Runtime.evaluate', { expression: 'document.fonts.ready.then(() => 0)', awaitPromise: true })
      .catch(() => {})
    // optimizeForSpeed: Chromium's fast PNG encoder, about twice the bytes (~45 KB for a
    // 1280×800 form) for a quarter less time on the run's path; still lossless.
    const shot = await session.send('Page.captureScreenshot', { format: 'png', optimizeForSpeed: true })
    return Buffer.from(shot.data, 'base64')
  }
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`Screenshot timed out after ${timeoutMs} ms`)
      err.name = 'TimeoutError'
      reject(err)
    }, timeoutMs)
  })
  try {
    await writeFile(file, await Promise.race([shoot(), expired]))
  } finally {
    clearTimeout(timer)
    // Also when the session opens after a timeout: it must not outlive the screenshot.
    if (own)
      opening.then(
        (s: CDPSession) => void s.detach().catch(() => {}),
        () => {},
      )
  }
}
