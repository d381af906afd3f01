// Finding a secret's value that a site shows back (in its title, its text, a field), so
// screenshots paint it over and traces do not keep the page. The values never go through
// Playwright's API: a trace records every API call's arguments and results, so a locator
// or an evaluate naming the secret would put it in the trace. A CDP session is not
// recorded, and an isolated world keeps the page's own scripts from seeing the values.
import type { CDPSession, Frame, Page } from 'playwright-core'

const WORLD = '__opdesk_echo_guard'
/** Set on elements that show a secret's value, so a screenshot's mask can name them without it. */
export const ECHO_ATTR = 'data-opdesk-masked'

interface FrameTree {
  frame: { id: string }
  childFrames?: FrameTree[]
}

function frameIds(tree: FrameTree): string[] {
  return [tree.frame.id, ...(tree.childFrames ?? []).flatMap(frameIds)]
}

// Runs in the isolated world: marks (or unmarks) the smallest elements whose text or value
// holds a value, and answers whether any did. A string, for the reason prompt-sentinel.ts gives.
function script(values: string[], mark: boolean): string {
  return `(() => {
  const values = ${JSON.stringify(values)};
  const attr = ${JSON.stringify(ECHO_ATTR)};
  for (const el of document.querySelectorAll('[' + attr + ']')) el.removeAttribute(attr);
  const has = (s) => typeof s === 'string' && values.some((v) => s.includes(v));
  let href = location.href;
  try { href += ' ' + decodeURIComponent(href); } catch (e) {}
  let found = has(document.title) || has(href);
  if (!document.body) return found;
  if (!has(document.body.innerText) && !found) {
    let inField = false;
    for (const el of document.querySelectorAll('input, textarea')) if (has(el.value)) { inField = true; if (${mark}) el.setAttribute(attr, ''); }
    return inField;
  }
  found = true;
  if (${mark}) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (has(n.textContent) && n.parentElement) n.parentElement.setAttribute(attr, '');
    for (const el of document.querySelectorAll('input, textarea')) if (has(el.value)) el.setAttribute(attr, '');
  }
  return found;
})()`
}

async function inSession(session: CDPSession, source: string): Promise<boolean> {
  const { frameTree } = (await session.send('Page.getFrameTree')) as { frameTree: FrameTree }
  let found = false
  for (const frameId of frameIds(frameTree)) {
    try {
      const { executionContextId } = (await session.send('Page.createIsolatedWorld', {
        frameId,
        worldName: WORLD,
      })) as { executionContextId: number }
      const { result } = await session.send('Runtime.evaluate', {
        expression: source,
        contextId: executionContextId,
        returnByValue: true,
      })
      if (result.value === true) found = true
    } catch {
      // A frame in another process (its own session below) or one going away.
    }
  }
  return found
}

/**
 * Whether any frame of the page shows one of the values; with `mark`, also tags the
 * elements that do with ECHO_ATTR (and clears old tags). A page that cannot answer counts
 * as showing them: the safe side for a trace.
 */
export async function pageShows(page: Page, values: string[], mark = false): Promise<boolean> {
  if (values.length === 0 || page.isClosed()) return false
  const source = script(values, mark)
  const context = page.context()
  const targets: Array<Page | Frame> = [page, ...page.frames().filter((f) => f !== page.mainFrame())]
  let found = false
  for (const target of targets) {
    let session: CDPSession
    try {
      session = await context.newCDPSession(target)
    } catch {
      continue // an in-process frame: the page's session covered it
    }
    try {
      if (await inSession(session, source)) found = true
    } catch {
      if (!page.isClosed()) found = true
    } finally {
      await session.detach().catch(() => {})
    }
  }
  return found
}
