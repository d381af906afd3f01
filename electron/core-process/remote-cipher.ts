// Secrets sealed by the parent's keychain (Electron safeStorage lives in main only). Sealing
// is a round trip to the parent; opening must be synchronous (a run reveals a secret in the
// middle of a step), so the stored values are opened once when the workspace opens
// (SecretCipher.openAhead) and kept in this process — the same exposure as the AES key the
// host-mode cipher keeps in memory.
import { createHash } from 'node:crypto'
import { ownBuffer, type CipherOp } from '../../shared/core-process'
import type { SecretCipher } from '../core/secrets/cipher'

export type AskParent = (op: CipherOp, data: ArrayBuffer) => Promise<ArrayBuffer>

const keyOf = (sealed: Buffer) => createHash('sha256').update(sealed).digest('hex')

export function remoteCipher(ask: AskParent, onUnreadable: (err: unknown) => void): SecretCipher {
  const opened = new Map<string, Buffer>()
  return {
    scheme: 'safe-storage',
    async openAhead(sealed) {
      for (const s of sealed) {
        try {
          opened.set(keyOf(s), Buffer.from(await ask('decrypt', ownBuffer(s))))
        } catch (err) {
          // One the keychain no longer opens (another user, a reset keyring) fails when revealed.
          onUnreadable(err)
        }
      }
    },
    async encrypt(plain) {
      const sealed = Buffer.from(await ask('encrypt', ownBuffer(plain)))
      opened.set(keyOf(sealed), Buffer.from(plain))
      return sealed
    },
    decrypt(sealed) {
      const plain = opened.get(keyOf(sealed))
      if (!plain) throw new Error('The OS keychain could not open this secret; set it again')
      return Buffer.from(plain)
    },
  }
}
