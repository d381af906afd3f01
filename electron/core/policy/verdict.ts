import { POLICY_VERDICTS, RISK_LEVELS } from '../../../shared/domain'
import type { PolicyResult, PolicyVerdict, RiskLevel } from '../../../shared/domain'

/** One rule's opinion; judgeCommand/judgeFlow fold many of them into a PolicyResult. */
export interface Finding {
  verdict: PolicyVerdict
  risk: RiskLevel
  reason: string
}

export const deny = (risk: RiskLevel, reason: string): Finding => ({ verdict: 'deny', risk, reason })
export const approval = (risk: RiskLevel, reason: string): Finding => ({ verdict: 'requires-approval', risk, reason })
export const allow = (reason: string): Finding => ({ verdict: 'allow', risk: 'low', reason })

const rank = <T>(list: readonly T[], value: T): number => list.indexOf(value)

/**
 * The most severe verdict wins and risk is the highest seen. Only reasons that back the final verdict are
 * kept, so a denial never also carries an "allowed" note; an allow with nothing to say gets `allowReason`.
 */
export function combine(findings: readonly Finding[], allowReason: string): PolicyResult {
  let verdict: PolicyVerdict = 'allow'
  let risk: RiskLevel = 'low'
  for (const f of findings) {
    if (rank(POLICY_VERDICTS, f.verdict) > rank(POLICY_VERDICTS, verdict)) verdict = f.verdict
    if (rank(RISK_LEVELS, f.risk) > rank(RISK_LEVELS, risk)) risk = f.risk
  }
  const reasons = [...new Set(findings.filter((f) => f.verdict === verdict).map((f) => f.reason))]
  return { verdict, risk, reasons: reasons.length > 0 ? reasons : [allowReason] }
}

/** Backticked excerpt for a reason; long command lines are cut so reasons stay readable. */
export function quote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return '`' + (flat.length > max ? flat.slice(0, max - 1) + '…' : flat) + '`'
}
