// Test helper: a person logs a login run in to the bundled Acme portal through the takeover.
import type { Core } from '../../electron/core/core'
import { DEMO_CREDENTIALS, type DemoSite } from '../../electron/core/demo/site'
import { TestViewer } from './takeover-viewer'

/**
 * Attaches a viewer to the run's takeover, takes the lease once the page is live, then signs
 * in on the run's own page with the demo credentials and the portal's current code. The
 * viewer stays attached: the caller checks how the run ended, then detaches it.
 */
export async function loginThroughTakeover(core: Core, site: DemoSite, runId: string, by = 'lee'): Promise<TestViewer> {
  const v = new TestViewer('v1', by)
  v.handle = core.takeover.attach(runId, v)
  await v.next('status', (st) => st.live, { timeoutMs: 45_000, past: true })
  v.up({ type: 'lease', want: true })
  const page = core.engine.livePages.get(runId)!.page
  await page.fill('#email', DEMO_CREDENTIALS.email)
  await page.fill('#password', DEMO_CREDENTIALS.password)
  await page.check('#keep')
  await page.click('button[type=submit]')
  await page.waitForURL('**/mfa')
  await page.fill('#otp', site.currentCode())
  await page.click('button[type=submit]')
  return v
}
