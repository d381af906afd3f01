// Policy configuration vocabulary (the workspace's policy.yaml). Pure TypeScript: no node:, DOM or electron,
// so the renderer can show and validate the same settings the core enforces.
import { z } from 'zod'
import type { PolicyResult, PolicyVerdict, RiskLevel } from './domain'

export type { PolicyResult, PolicyVerdict, RiskLevel }

export const OFF_LIST_ORIGIN_MODES = ['deny', 'requires-approval'] as const
export const TRANSFER_MODES = ['allow', 'requires-approval'] as const
export type OffListOriginMode = (typeof OFF_LIST_ORIGIN_MODES)[number]
export type TransferMode = (typeof TRANSFER_MODES)[number]

export interface FlowPolicyConfig {
  /** What happens when a flow navigates to an origin missing from its allowedOrigins. */
  offListOrigin: OffListOriginMode
  /** Words that mark a click/fill/select target as consequential (payments, deletions, orders). */
  highRiskWords: string[]
  downloads: TransferMode
  uploads: TransferMode
}

export interface CommandPolicyConfig {
  /** Command patterns that are always denied (word prefixes, `*` and `?` globs per word). */
  extraDeny: string[]
  /** Command patterns that always need a person's approval. */
  extraApproval: string[]
  /** Command patterns exempt from the built-in approval rules (never from a deny). */
  allow: string[]
  /** Whether a command may run in, or `cd` into, a directory outside the workspace. */
  cwdOutsideWorkspace: boolean
  /**
   * Hosts command runs may reach. Empty: no network inside the sandbox. The sandbox cannot
   * filter by host, so naming any host gives command runs the whole network.
   */
  networkHosts: string[]
}

export interface PolicyConfig {
  flows: FlowPolicyConfig
  commands: CommandPolicyConfig
}

/** Must stay identical to resources/policy.default.yaml (a test keeps them in step). */
export const DEFAULT_POLICY: PolicyConfig = {
  flows: {
    offListOrigin: 'requires-approval',
    highRiskWords: [
      'pay',
      'payment',
      'transfer',
      'wire',
      'send money',
      'delete',
      'remove account',
      'close account',
      'submit order',
      'place order',
      'confirm order',
      'purchase',
      'buy',
      'buy now',
      'checkout',
      'subscribe',
      'withdraw',
    ],
    downloads: 'requires-approval',
    uploads: 'requires-approval',
  },
  commands: {
    extraDeny: [],
    extraApproval: [],
    allow: [],
    cwdOutsideWorkspace: false,
    networkHosts: [],
  },
}

const pattern = z.string().trim().min(1, 'a pattern cannot be empty')

/** Shape of a policy.yaml: every key optional, unknown keys refused so a typo is not silently ignored. */
export const policyFileSchema = z.strictObject({
  flows: z
    .strictObject({
      offListOrigin: z.enum(OFF_LIST_ORIGIN_MODES),
      highRiskWords: z.array(z.string().trim().min(1, 'a high-risk word cannot be empty')),
      downloads: z.enum(TRANSFER_MODES),
      uploads: z.enum(TRANSFER_MODES),
    })
    .partial()
    .optional(),
  commands: z
    .strictObject({
      extraDeny: z.array(pattern),
      extraApproval: z.array(pattern),
      allow: z.array(pattern),
      cwdOutsideWorkspace: z.boolean(),
      networkHosts: z.array(z.string().trim().min(1, 'a host cannot be empty')),
    })
    .partial()
    .optional(),
})

export type PolicyFile = z.infer<typeof policyFileSchema>

/** Lists replace the defaults rather than extend them, so a workspace can also drop a default word. */
export function mergePolicy(base: PolicyConfig, file: PolicyFile): PolicyConfig {
  return {
    flows: { ...base.flows, ...file.flows },
    commands: { ...base.commands, ...file.commands },
  }
}
