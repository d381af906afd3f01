import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '../../../shared/policy'
import { loadPolicy, parsePolicy, PolicyConfigError } from './config'

const dirs: string[] = []
function workspace(policy?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-policy-'))
  dirs.push(dir)
  if (policy !== undefined) writeFileSync(join(dir, 'policy.yaml'), policy)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function issuesOf(text: string): PolicyConfigError['issues'] {
  try {
    parsePolicy(text)
  } catch (e) {
    if (e instanceof PolicyConfigError) return e.issues
    throw e
  }
  throw new Error('expected the policy to be refused')
}

describe('loadPolicy', () => {
  it('returns the defaults when the workspace has no policy.yaml', () => {
    const policy = loadPolicy(workspace())
    expect(policy).toEqual(DEFAULT_POLICY)
    expect(policy.flows.offListOrigin).toBe('requires-approval')
    expect(policy.flows.highRiskWords).toEqual(
      expect.arrayContaining([
        'pay',
        'payment',
        'transfer',
        'wire',
        'delete',
        'remove account',
        'submit order',
        'place order',
        'purchase',
        'buy now',
        'checkout',
      ]),
    )
    expect(policy.commands).toEqual({ extraDeny: [], extraApproval: [], allow: [], cwdOutsideWorkspace: false, networkHosts: [] })
  })

  it('hands out copies that cannot change the defaults', () => {
    loadPolicy(workspace()).flows.highRiskWords.push('mutated')
    expect(DEFAULT_POLICY.flows.highRiskWords).not.toContain('mutated')
  })

  it('ships resources/policy.default.yaml with exactly the built-in defaults', () => {
    const shipped = readFileSync(new URL('../../../resources/policy.default.yaml', import.meta.url), 'utf8')
    expect(parsePolicy(shipped)).toEqual(DEFAULT_POLICY)
  })

  it('merges a workspace policy.yaml over the defaults, key by key', () => {
    const policy = loadPolicy(
      workspace(
        [
          'flows:',
          '  offListOrigin: deny',
          'commands:',
          '  extraDeny: ["docker"]',
          '  cwdOutsideWorkspace: true',
          '',
        ].join('\n'),
      ),
    )
    expect(policy.flows).toEqual({ ...DEFAULT_POLICY.flows, offListOrigin: 'deny' })
    expect(policy.commands).toEqual({ ...DEFAULT_POLICY.commands, extraDeny: ['docker'], cwdOutsideWorkspace: true })
  })

  it('replaces a default list rather than extending it', () => {
    const policy = loadPolicy(workspace('flows:\n  highRiskWords: [erase]\n'))
    expect(policy.flows.highRiskWords).toEqual(['erase'])
  })

  it('treats an empty or comment-only file as the defaults', () => {
    expect(loadPolicy(workspace(''))).toEqual(DEFAULT_POLICY)
    expect(loadPolicy(workspace('# nothing yet\n'))).toEqual(DEFAULT_POLICY)
  })

  it('reports a wrong value with its line, column and setting', () => {
    const dir = workspace('flows:\n  downloads: allow\n  offListOrigin: maybe\n')
    expect(() => loadPolicy(dir)).toThrow(PolicyConfigError)
    expect(() => loadPolicy(dir)).toThrow(/policy\.yaml:3:18: flows\.offListOrigin: /)
  })

  it('reports unknown keys at the key itself', () => {
    expect(issuesOf('commands:\n  allow: []\n  extraDenny: [rm]\n')).toEqual([
      { line: 3, column: 3, path: 'commands', message: 'unknown setting `extraDenny`' },
    ])
    expect(issuesOf('flow:\n  downloads: allow\n')).toEqual([
      { line: 1, column: 1, path: '', message: 'unknown setting `flow`' },
    ])
  })

  it('reports every problem, including wrong types inside lists', () => {
    const issues = issuesOf('commands:\n  cwdOutsideWorkspace: "no"\n  allow:\n    - npm ci\n    - 42\n')
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [2, 'commands.cwdOutsideWorkspace'],
      [5, 'commands.allow.1'],
    ])
  })

  it('reports YAML syntax errors with their line', () => {
    const issues = issuesOf('flows:\n  offListOrigin: deny\n  downloads: [allow\n')
    expect(issues.length).toBeGreaterThan(0)
    expect(issues[0]?.line).toBeGreaterThanOrEqual(3)
    expect(issues[0]?.path).toBe('')
  })

  it('refuses a file that is not a mapping', () => {
    expect(issuesOf('- just\n- a list\n')[0]).toMatchObject({ line: 1, path: '' })
  })
})
