// A real application's own TOTP login, nobody here wrote it: django-otp's OTPAdminSite
// (username, password and a plain "OTP Token" field on one form). The flow fills what it
// knows from secrets; the OTP Token field is a prompt no step fills, so the engine must
// hand the page to a person before the submit click, by itself. A scripted person finishes
// it through the takeover view only, and the run goes on to the admin index.
import { startDjangoOtpAdmin, type DjangoOtpAdmin } from '../test/support/django-otp'
import { expect, test, type Host } from './fixtures'
import { TakeoverPage } from './pages/takeover'
import {
  centerOf,
  describeEvents,
  events,
  expectDetectedFast,
  expectTakenOver,
  startRun,
  tsOf,
  waitForPerson,
} from './support/takeover'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

let admin: DjangoOtpAdmin
test.beforeAll(async () => {
  admin = await startDjangoOtpAdmin()
})
test.afterAll(async () => {
  await admin?.stop()
})

async function putSecret(host: Host, name: string, value: string): Promise<void> {
  const res = await host.api.post('/api/secrets', { data: { name, value } })
  expect(res.ok(), await res.text()).toBe(true)
}

const SUBMIT = '#login-form [type=submit]'

test('django-otp admin: the flow signs in, a person enters the OTP token', async ({ app, host, browser }) => {
  await putSecret(host, 'django_user', admin.username)
  await putSecret(host, 'django_pass', admin.password)
  const flow = [
    'name: Django admin sign-in',
    'viewport: { width: 1000, height: 700 }',
    'steps:',
    `  - goto: ${admin.loginUrl}`,
    '  - fill: { selector: "#id_username", value: "${secrets.django_user}" }',
    '  - fill: { selector: "#id_password", value: "${secrets.django_pass}" }',
    `  - click: "${SUBMIT}"`,
    '  - expect: { text: Site administration, timeout: 60s }',
    '',
  ].join('\n')
  const tk = new TakeoverPage(app.page)
  const run = await startRun(host, flow)
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)

  // The flow filled username and password itself, then stopped before the submit click:
  // the OTP Token field showed since the page loaded, so measure from the password fill.
  const detected = await expectDetectedFast(host, run.id, (evs) =>
    tsOf(evs, (e) => e.type === 'step.succeeded' && e.data.index === 3, 'step 3 (fill password) never succeeded'),
  )
  expect(detected.data).toMatchObject({ kind: 'code', popup: false })
  let evs = await events(host, run.id)
  const log = describeEvents(evs)
  const succeeded = (i: number) => evs.find((e) => e.type === 'step.succeeded' && e.data.index === i)
  expect(succeeded(2), log).toBeDefined()
  expect(succeeded(3), log).toBeDefined()
  expect(succeeded(3)!.seq, log).toBeLessThan(detected.seq)
  expect(
    evs.some((e) => e.type === 'step.started' && e.data.index === 4),
    `the submit click must wait for the person\n${log}`,
  ).toBe(false)

  await tk.waitLive()
  await tk.expectStatus('waiting-mfa')
  const vp = await tk.viewport()
  await tk.clickAt(await centerOf(browser, admin.loginUrl, '#id_otp_token', vp))
  // Read the code as late as possible: the person types what the app shows now.
  const code = admin.totp()
  await tk.type(code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded', 60_000)

  evs = await expectTakenOver(host, run.id, [code, admin.password])
  const after = describeEvents(evs)
  // Enter submitted the form the click would have submitted: the engine says so, and
  // does not click on the admin index.
  expect(
    evs.some((e) => e.type === 'log' && /^Step 4 \(.*\) was done by the person/.test(String(e.data.message))),
    `no "Step 4 … was done by the person" log\n${after}`,
  ).toBe(true)
  expect(evs.filter((e) => e.type === 'step.succeeded').map((e) => e.data.index)).toEqual([1, 2, 3, 4, 5])
  const ended = evs.findIndex((e) => e.type === 'takeover.ended')
  expect(
    evs.findIndex((e) => e.type === 'step.succeeded' && e.data.index === 5),
    after,
  ).toBeGreaterThan(ended)
})
