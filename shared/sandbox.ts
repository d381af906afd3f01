// Whether command runs can be confined by the operating system on this machine. Pure
// TypeScript so the renderer can show the same answer the core acts on.

export type SandboxKind = 'bubblewrap' | 'seatbelt' | 'none'

export interface SandboxStatus {
  /** False where no sandbox could start: then every command run needs a person's approval. */
  available: boolean
  kind: SandboxKind
  /** What was tried and what happened, in words an operator can act on. */
  detail: string
}
