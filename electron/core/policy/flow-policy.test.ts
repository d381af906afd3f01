import { describe, expect, it } from 'vitest'
import type { PolicyVerdict, RiskLevel } from '../../../shared/domain'
import { DEFAULT_POLICY } from '../../../shared/policy'
import type { PolicyConfig } from '../../../shared/policy'
import { highRiskWord, judgeFlow, judgeFlowAction, judgeNavigation } from './flow-policy'
import type { FlowStepLike } from './flow-policy'

const withFlows = (flows: Partial<PolicyConfig['flows']>): PolicyConfig => ({
  ...DEFAULT_POLICY,
  flows: { ...DEFAULT_POLICY.flows, ...flows },
})
const DENY_OFF_LIST = withFlows({ offListOrigin: 'deny' })
const ALLOW_TRANSFERS = withFlows({ downloads: 'allow', uploads: 'allow' })
const PORTAL = ['https://portal.example.com']

type NavRow = [
  url: string,
  origins: string[] | undefined,
  cfg: PolicyConfig,
  verdict: PolicyVerdict,
  risk: RiskLevel,
  reason: string,
]

const NAVIGATION: NavRow[] = [
  [
    'https://portal.example.com/login',
    PORTAL,
    DEFAULT_POLICY,
    'allow',
    'low',
    'https://portal.example.com is in allowedOrigins',
  ],
  ['https://portal.example.com:443/x', PORTAL, DEFAULT_POLICY, 'allow', 'low', 'is in allowedOrigins'],
  ['https://anything.example.org/', undefined, DEFAULT_POLICY, 'allow', 'low', 'the flow sets no allowedOrigins'],
  [
    'https://evil.example.net/',
    PORTAL,
    DEFAULT_POLICY,
    'requires-approval',
    'medium',
    'https://evil.example.net is not in allowedOrigins (https://portal.example.com)',
  ],
  [
    'https://evil.example.net/',
    PORTAL,
    DENY_OFF_LIST,
    'deny',
    'high',
    'https://evil.example.net is not in allowedOrigins',
  ],
  [
    'http://portal.example.com/',
    PORTAL,
    DEFAULT_POLICY,
    'requires-approval',
    'medium',
    'http://portal.example.com is not in allowedOrigins',
  ],
  ['https://portal.example.com.evil.net/', PORTAL, DENY_OFF_LIST, 'deny', 'high', 'not in allowedOrigins'],
  [
    'https://a.example.com/',
    [],
    DEFAULT_POLICY,
    'requires-approval',
    'medium',
    'not in allowedOrigins (an empty list)',
  ],
  ['https://eu.shop.example.com/', ['https://*.example.com'], DENY_OFF_LIST, 'allow', 'low', 'is in allowedOrigins'],
  ['https://example.com/', ['https://*.example.com'], DENY_OFF_LIST, 'deny', 'high', 'not in allowedOrigins'],
  ['https://portal.example.com/', ['portal.example.com'], DENY_OFF_LIST, 'allow', 'low', 'is in allowedOrigins'],
  [
    'javascript:alert(1)',
    undefined,
    DEFAULT_POLICY,
    'deny',
    'high',
    '`javascript:` URL `javascript:alert(1)` runs script code',
  ],
  ['JavaScript:alert(1)', PORTAL, DEFAULT_POLICY, 'deny', 'high', 'runs script code'],
  [
    'file:///etc/passwd',
    undefined,
    DEFAULT_POLICY,
    'deny',
    'high',
    '`file:` URL `file:///etc/passwd` reads files from this computer',
  ],
  ['data:text/html,<script>x</script>', undefined, DEFAULT_POLICY, 'deny', 'high', '`data:` URL'],
  ['ftp://files.example.com/a', undefined, DEFAULT_POLICY, 'deny', 'high', 'flows may only visit http(s) URLs'],
  ['chrome://settings', undefined, DEFAULT_POLICY, 'deny', 'high', 'flows may only visit http(s) URLs'],
  ['about:blank', PORTAL, DENY_OFF_LIST, 'allow', 'low', '`about:blank` is an empty page'],
  ['/relative/path', undefined, DEFAULT_POLICY, 'deny', 'medium', 'is not an absolute URL'],
]

describe('judgeNavigation', () => {
  it.each(NAVIGATION)('%s with %j → %s', (url, origins, cfg, verdict, risk, reason) => {
    const result = judgeNavigation(url, origins, cfg)
    expect({ verdict: result.verdict, risk: result.risk }).toEqual({ verdict, risk })
    expect(result.reasons).toHaveLength(1)
    expect(result.reasons[0]).toContain(reason)
  })
})

type StepRow = [step: FlowStepLike, cfg: PolicyConfig, verdict: PolicyVerdict, risk: RiskLevel, reason: string]

const STEPS: StepRow[] = [
  [
    { action: 'click', selector: 'text=Pay now' },
    DEFAULT_POLICY,
    'requires-approval',
    'high',
    '`click` on `text=Pay now` looks consequential ("pay")',
  ],
  [{ action: 'click', selector: '#btn-delete' }, DEFAULT_POLICY, 'requires-approval', 'high', '("delete")'],
  [{ action: 'click', selector: '#deleteAccount' }, DEFAULT_POLICY, 'requires-approval', 'high', '("delete")'],
  [
    { action: 'click', selector: 'button', text: 'Submit order' },
    DEFAULT_POLICY,
    'requires-approval',
    'high',
    '("submit order")',
  ],
  [
    { action: 'click', selector: '[data-test=place-order]' },
    DEFAULT_POLICY,
    'requires-approval',
    'high',
    '("place order")',
  ],
  [
    { action: 'click', selector: 'button', label: 'Wire funds' },
    DEFAULT_POLICY,
    'requires-approval',
    'high',
    '("wire")',
  ],
  [
    { action: 'press', selector: '#checkout', text: 'Enter' },
    DEFAULT_POLICY,
    'requires-approval',
    'high',
    '("checkout")',
  ],
  [{ action: 'fill', selector: '#transfer-amount' }, DEFAULT_POLICY, 'requires-approval', 'high', '("transfer")'],
  [{ action: 'click', selector: 'text=BUY NOW' }, DEFAULT_POLICY, 'requires-approval', 'high', '("buy")'],
  [{ action: 'click', selector: 'text=Payroll report' }, DEFAULT_POLICY, 'allow', 'low', 'No risky step found'],
  [{ action: 'click', selector: 'button[type=submit]' }, DEFAULT_POLICY, 'allow', 'low', 'No risky step found'],
  [{ action: 'expect', text: 'Payment complete' }, DEFAULT_POLICY, 'allow', 'low', 'No risky step found'],
  [{ action: 'waitFor', selector: '#delete-confirmation' }, DEFAULT_POLICY, 'allow', 'low', 'No risky step found'],
  [
    { action: 'click', selector: 'text=Pay now' },
    withFlows({ highRiskWords: ['erase'] }),
    'allow',
    'low',
    'No risky step found',
  ],
  [
    { action: 'download', selector: 'text=Export CSV' },
    DEFAULT_POLICY,
    'requires-approval',
    'medium',
    'policy requires approval for downloads',
  ],
  [
    { action: 'download', selector: 'text=Export CSV' },
    ALLOW_TRANSFERS,
    'allow',
    'low',
    'downloads are allowed by policy',
  ],
  [{ action: 'download', click: 'text=Buy report' }, ALLOW_TRANSFERS, 'requires-approval', 'high', '("buy")'],
  [{ action: 'download', click: 'text=Export CSV' }, DEFAULT_POLICY, 'requires-approval', 'medium', 'saves a file'],
  [
    { action: 'upload', selector: '#file' },
    DEFAULT_POLICY,
    'requires-approval',
    'medium',
    'sends a local file to the site',
  ],
  [{ action: 'upload', selector: '#file' }, ALLOW_TRANSFERS, 'allow', 'low', 'uploads are allowed by policy'],
  [{ action: 'goto', url: 'javascript:void(0)' }, DEFAULT_POLICY, 'deny', 'high', 'runs script code'],
  [{ action: 'goto', url: 'https://example.com' }, DEFAULT_POLICY, 'allow', 'low', 'the flow sets no allowedOrigins'],
]

describe('judgeFlowAction', () => {
  it.each(STEPS)('%j → %s', (step, cfg, verdict, risk, reason) => {
    const result = judgeFlowAction(step, cfg)
    expect({ verdict: result.verdict, risk: result.risk }).toEqual({ verdict, risk })
    expect(result.reasons.join('\n')).toContain(reason)
  })

  it('checks a goto against the allowedOrigins it is given', () => {
    expect(judgeFlowAction({ action: 'goto', url: 'https://evil.example.net' }, DENY_OFF_LIST, PORTAL).verdict).toBe(
      'deny',
    )
  })

  it('matches high-risk words as whole words', () => {
    expect(highRiskWord('#pay-button', ['pay'])).toBe('pay')
    expect(highRiskWord('payroll', ['pay'])).toBeUndefined()
    expect(highRiskWord('text=Buy-Now', ['buy now'])).toBe('buy now')
  })
})

describe('judgeFlow', () => {
  const invoices = {
    allowedOrigins: PORTAL,
    steps: [
      { action: 'goto', url: 'https://portal.example.com/login' },
      { action: 'fill', selector: '#email' },
      { action: 'click', selector: 'button[type=submit]' },
      { action: 'download', selector: 'text=Export CSV' },
    ],
  }

  it('aggregates step verdicts and labels each reason with its step', () => {
    expect(judgeFlow(invoices)).toEqual({
      verdict: 'requires-approval',
      risk: 'medium',
      reasons: ['step 4 (download): `download` saves a file from the site; policy requires approval for downloads'],
    })
    expect(judgeFlow(invoices, ALLOW_TRANSFERS)).toEqual({
      verdict: 'allow',
      risk: 'low',
      reasons: ['No risky step found'],
    })
  })

  it('lets the most severe step win, keeping only reasons for that verdict', () => {
    const flow = {
      ...invoices,
      steps: [
        ...invoices.steps,
        { action: 'goto', url: 'file:///etc/passwd' },
        { action: 'click', selector: 'text=Pay' },
      ],
    }
    const result = judgeFlow(flow)
    expect(result.verdict).toBe('deny')
    expect(result.reasons).toEqual(['step 5 (goto): `file:` URL `file:///etc/passwd` reads files from this computer'])
  })

  it('judges off-list static gotos under both settings', () => {
    const flow = { allowedOrigins: PORTAL, steps: [{ action: 'goto', url: 'https://other.example.org/' }] }
    expect(judgeFlow(flow).verdict).toBe('requires-approval')
    expect(judgeFlow(flow, DENY_OFF_LIST).verdict).toBe('deny')
  })

  it('allows interpolated goto URLs statically, saying they are judged after interpolation', () => {
    const result = judgeFlow(
      { allowedOrigins: PORTAL, steps: [{ action: 'goto', url: '${params.start}' }] },
      DENY_OFF_LIST,
    )
    expect(result.verdict).toBe('allow')
    expect(result.reasons).toEqual([
      'step 1 (goto): `${params.start}` is judged after interpolation, when the flow runs',
    ])
  })

  it('still checks the static origin in front of an interpolation', () => {
    const onList = judgeFlow(
      { allowedOrigins: PORTAL, steps: [{ action: 'goto', url: 'https://portal.example.com/m/${params.month}' }] },
      DENY_OFF_LIST,
    )
    expect(onList.verdict).toBe('allow')
    expect(onList.reasons[0]).toContain('judged after interpolation')
    const offList = judgeFlow(
      { allowedOrigins: PORTAL, steps: [{ action: 'goto', url: 'https://evil.example.net/${params.x}' }] },
      DENY_OFF_LIST,
    )
    expect(offList.verdict).toBe('deny')
    expect(judgeFlow({ steps: [{ action: 'goto', url: 'javascript:${params.code}' }] }).verdict).toBe('deny')
  })
})
