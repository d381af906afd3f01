// The demo flow: log in to the bundled Acme Portal, stop for the person at MFA, export
// the month's invoices. Registered each time demo mode starts, because the demo site
// listens on a fresh loopback port.
import type { Logger } from '../log'
import type { SecretStore } from '../secrets/secrets'
import type { Store } from '../store/db'
import { upsertFlow } from '../store/flows'
import { flowHash } from '../flows/parse'
import { saveFlowFile } from '../flows/folder'
import { DEMO_CREDENTIALS, startDemoSite, type DemoSite } from './site'

export const DEMO_FLOW_NAME = 'Acme invoice export (demo)'
export const DEMO_SECRET_NAME = 'acme_demo_password'

export function demoFlowSource(url: string, month = new Date().toISOString().slice(0, 7)): string {
  return `# The Opdesk demo: log in to the local Acme Portal, hand the MFA prompt to a person,
# then export this month's invoices. The portal's MFA page has a "Show demo code" button.
name: ${DEMO_FLOW_NAME}
profile: acme-demo
viewport: { width: 1280, height: 800 }
params:
  month: { default: "${month}" }
allowedOrigins: ["${url}"]
steps:
  - goto: ${url}/login
  - fill: { selector: "#email", value: "${DEMO_CREDENTIALS.email}" }
  - fill: { selector: "#password", value: "\${secrets.${DEMO_SECRET_NAME}}" }
  - click: "button[type=submit]"
  - mfa: { until: { url: "**/dashboard**" }, timeout: 15m }
  - download: { click: "text=Export CSV", saveAs: "invoices-\${params.month}.csv" }
  - expect: { text: "Export complete" }
  - screenshot: { name: invoices, fullPage: true }
`
}

export interface DemoEnvironment {
  site: DemoSite
  flowId: string
  close(): Promise<void>
}

/** Starts the demo site and (re)registers the demo flow and its secret. */
export async function startDemoEnvironment(deps: {
  store: Store
  secrets: SecretStore
  flowsDir: string
  log: Logger
}): Promise<DemoEnvironment> {
  const site = await startDemoSite()
  if (!deps.secrets.names().has(DEMO_SECRET_NAME)) await deps.secrets.put(DEMO_SECRET_NAME, DEMO_CREDENTIALS.password)
  const source = demoFlowSource(site.url)
  const flow = upsertFlow(deps.store, { name: DEMO_FLOW_NAME, source, hash: flowHash(source), by: 'demo' })
  saveFlowFile(deps.flowsDir, DEMO_FLOW_NAME, source)
  deps.log.info(`demo portal at ${site.url} (demo@acme.test / ${'•'.repeat(8)})`)
  return { site, flowId: flow.id, close: () => site.close() }
}
