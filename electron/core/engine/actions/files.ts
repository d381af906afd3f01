// Actions that produce files: screenshots and downloads, kept as run artifacts.
import { interpolate } from '../../flows/parse'
import type { ActionFn } from './types'

export const screenshot: ActionFn<'screenshot'> = async (step, env) => {
  await env.evidence.screenshot(env.page, step.name, {
    fullPage: step.fullPage,
    selector: step.selector,
    timeout: env.timeout,
  })
}

export const download: ActionFn<'download'> = async (step, env) => {
  const { page, timeout } = env
  // Listen before clicking: a fast server can start the download within the click.
  const started = page.waitForEvent('download', { timeout })
  started.catch(() => {}) // observed below; a failed click must not leave it unhandled
  await page.click(step.click, { timeout, signal: env.signal })
  const dl = await started
  const name = step.saveAs ? interpolate(step.saveAs, { params: env.params }) : null
  await env.evidence.download(dl, name)
}
