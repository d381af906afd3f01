// The New run dialog and the flow library (issue 14, item 3): a flow's parameters become a
// form whose values reach the run, a command starts from the same dialog, an edit in the
// editor makes a version that can be compared with the one before, and saving over an
// existing name asks first.
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { registerFlow } from './support/runs'

test.describe.configure({ timeout: 90_000 })

/** Fills the order form with two parameters and checks the page echoed both back. */
function orderFlow(url: string): string {
  return [
    'name: Order with params',
    `allowedOrigins: ["${url}"]`,
    'params:',
    '  customer: { required: true, description: "Who orders" }',
    '  company: { default: "Initech" }',
    'steps:',
    `  - goto: ${url}/form`,
    '  - fill: { selector: "#name", value: "${params.customer}" }',
    '  - fill: { selector: "#company", value: "${params.company}" }',
    '  - click: "button[type=submit]"',
    '  - expect: { text: "Received: name=${params.customer}, company=${params.company}" }',
    '  - screenshot: { name: order }',
    '',
  ].join('\n')
}

interface FlowInfo {
  id: string
  name: string
  version: number
  updatedBy: string
  source: string
}

test('a parameter form starts a run with its values', async ({ app, host, page, site }) => {
  await registerFlow(host, orderFlow(site.url))
  await app.live()
  await page.getByTestId('new-run-open').click()
  const dialog = page.getByTestId('new-run')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('heading', { name: 'New run' })).toBeVisible()
  await dialog.getByLabel('Flow', { exact: true }).selectOption({ label: 'Order with params (v1)' })

  const customer = dialog.getByLabel('customer (required)')
  const company = dialog.getByLabel('company', { exact: true })
  await expect(customer).toHaveValue('')
  await expect(customer).toHaveAttribute('required', '')
  await expect(company).toHaveValue('Initech')
  // The verdict is there before Start: the policy judges this flow on these values.
  await expect(dialog.getByTestId('new-run-policy')).toHaveAttribute('data-verdict', /^(allow|requires-approval|deny)$/)
  expect(await seriousViolations(page), 'the New run dialog with a parameter form').toEqual([])

  // A required parameter left empty keeps the form from submitting.
  await dialog.getByRole('button', { name: 'Start run' }).click()
  await expect(dialog).toBeVisible()
  expect((await (await host.api.get('/api/runs')).json()).total).toBe(0)

  await customer.fill('Ada Lovelace')
  await company.fill('Globex')
  await dialog.getByRole('button', { name: 'Start run' }).click()
  await expect(dialog).toBeHidden()
  await expect(page).toHaveURL(/#\/runs\/run_/)
  const runId = decodeURIComponent(page.url().split('#/runs/')[1]!)
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 45_000 })
  await expect(page.getByTestId('run-params')).toContainText('customer = Ada Lovelace')
  await expect(page.getByTestId('run-params')).toContainText('company = Globex')

  const run = (await (await host.api.get(`/api/runs/${runId}`)).json()) as { params: Record<string, string>; flowName: string }
  expect(run).toMatchObject({ flowName: 'Order with params', params: { customer: 'Ada Lovelace', company: 'Globex' } })
})

test('a command run started from the dialog', async ({ app, host, page }) => {
  await app.live()
  await app.open('Runs')
  await page.getByTestId('new-run-open').click()
  const dialog = page.getByTestId('new-run')
  await dialog.getByLabel('A command').check()
  await dialog.getByRole('textbox', { name: 'Command' }).fill('echo launched-from-dialog')
  await dialog.getByLabel('Working folder (cwd)').fill('.')
  await dialog.getByLabel('Track (optional)').selectOption({ label: 'Execution queue' })
  await expect(dialog.getByTestId('new-run-policy')).toHaveAttribute('data-verdict', 'allow')
  expect(await seriousViolations(page), 'the New run dialog for a command').toEqual([])
  await dialog.getByRole('button', { name: 'Start run' }).click()

  await expect(page).toHaveURL(/#\/runs\/run_/)
  await expect(page.getByRole('heading', { level: 1, name: 'echo launched-from-dialog' })).toBeVisible()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
  await expect(page.locator('[data-testid="console-line"][data-stream="stdout"]')).toHaveText(/launched-from-dialog/)
  const runs = (await (await host.api.get('/api/runs')).json()) as { items: { command: string; kind: string; trackId: string }[] }
  const tracks = (await (await host.api.get('/api/tracks')).json()) as { id: string; title: string }[]
  expect(runs.items).toEqual([
    expect.objectContaining({
      kind: 'command',
      command: 'echo launched-from-dialog',
      trackId: tracks.find((t) => t.title === 'Execution queue')!.id,
    }),
  ])
})

test("a step's Start flow hands its choice to the dialog, which asks for the parameters", async ({ app, execution, host, page, site }) => {
  await registerFlow(host, orderFlow(site.url))
  await app.live()
  const step = execution.card('Execution queue').steps().filter({ hasText: 'Run the export for the current month' })
  await step.getByRole('button', { name: 'Actions for step Run the export for the current month' }).click()
  await step.getByRole('menu').getByRole('menuitem', { name: 'Start flow…' }).click()
  const form = step.getByRole('form', { name: /Start a flow for step/ })
  await form.getByLabel('Flow').selectOption({ label: 'Order with params' })
  await form.getByRole('button', { name: 'With parameters…' }).click()

  const dialog = page.getByTestId('new-run')
  await expect(dialog.getByLabel('Flow', { exact: true })).toHaveValue(/flw_/)
  await expect(dialog.getByLabel('Track (optional)')).toHaveValue(/\S/)
  await expect(dialog.getByLabel('Step (optional)')).toHaveValue(/\S/)
  await dialog.getByLabel('customer (required)').fill('Grace Hopper')
  await dialog.getByRole('button', { name: 'Start run' }).click()
  await expect(page).toHaveURL(/#\/runs\/run_/)
  const runId = decodeURIComponent(page.url().split('#/runs/')[1]!)
  const tracks = (await (await host.api.get('/api/tracks')).json()) as { id: string; title: string; steps: { id: string; title: string }[] }[]
  const queue = tracks.find((t) => t.title === 'Execution queue')!
  const run = (await (await host.api.get(`/api/runs/${runId}`)).json()) as Record<string, unknown>
  expect(run).toMatchObject({
    trackId: queue.id,
    stepId: queue.steps.find((s) => s.title === 'Run the export for the current month')!.id,
    params: { customer: 'Grace Hopper', company: 'Initech' },
  })
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 45_000 })
})

test('a flow edit creates a version', async ({ app, host, page, site }) => {
  const v1 = (await registerFlow(host, orderFlow(site.url))) as unknown as FlowInfo
  await app.open('Flows')
  await page.getByTestId('flow-row').filter({ hasText: 'Order with params' }).getByRole('link', { name: 'Order with params' }).click()
  await expect(page.getByRole('heading', { name: /Edit “Order with params”/ })).toContainText('v1')
  const editor = page.getByLabel('Flow YAML')
  await expect(editor).toHaveValue(v1.source)
  await expect(page.getByTestId('flow-version')).toHaveCount(1)

  await editor.fill(v1.source.replace('default: "Initech"', 'default: "Umbrella"'))
  await page.getByRole('button', { name: 'Save flow' }).click()
  await expect(page.getByRole('heading', { name: /Edit “Order with params”/ })).toContainText('v2')
  const versions = page.getByTestId('flow-version')
  await expect(versions).toHaveCount(2)
  await expect(versions.first()).toHaveAttribute('data-version', '2')
  await expect(versions.first()).toContainText(`by ${v1.updatedBy}`)

  await expect(page.getByLabel('From')).toHaveValue('1')
  await expect(page.getByLabel('To')).toHaveValue('2')
  await page.getByRole('button', { name: 'Compare' }).click()
  const diff = page.getByTestId('flow-diff')
  await expect(diff.locator('[data-change="removed"]')).toHaveText(['-   company: { default: "Initech" }'])
  await expect(diff.locator('[data-change="added"]')).toHaveText(['+   company: { default: "Umbrella" }'])
  expect(await seriousViolations(page), 'a flow open with its versions and a diff').toEqual([])

  const stored = (await (await host.api.get(`/api/flows/${v1.id}/versions`)).json()) as { version: number; hash: string }[]
  expect(stored.map((v) => v.version)).toEqual([2, 1])
  expect(stored[0]!.hash).not.toBe(stored[1]!.hash)
})

test('saving over an existing name asks', async ({ app, host, page, site }) => {
  const first = (await registerFlow(host, orderFlow(site.url))) as unknown as FlowInfo
  await app.open('Flows')
  const changed = first.source.replace('default: "Initech"', 'default: "Stark"')
  await page.getByLabel('Flow YAML').fill(changed)
  await page.getByRole('button', { name: 'Save flow' }).click()
  const ask = page.getByTestId('flow-overwrite')
  await expect(ask).toContainText('A flow named “Order with params” already exists')
  // Nothing was replaced while the question stands.
  expect(((await (await host.api.get(`/api/flows/${first.id}`)).json()) as FlowInfo).version).toBe(1)

  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toHaveCount(0)
  await page.getByRole('button', { name: 'Save flow' }).click()
  await ask.getByRole('button', { name: 'Replace “Order with params”' }).click()
  await expect(page.getByRole('heading', { name: /Edit “Order with params”/ })).toContainText('v2')
  await expect(page.getByTestId('flow-version')).toHaveCount(2)
  const after = (await (await host.api.get(`/api/flows/${first.id}`)).json()) as FlowInfo
  expect(after).toMatchObject({ id: first.id, version: 2, source: changed })
  await expect(page.getByTestId('flow-row')).toHaveCount((await (await host.api.get('/api/flows')).json()).length)
})
