import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** How secrets are sealed at rest. Electron passes one backed by safeStorage (OS keychain). */
export interface SecretCipher {
  readonly scheme: 'aes-256-gcm' | 'safe-storage'
  /** May answer later: in the desktop app the keychain is in another process (main). */
  encrypt(plain: Buffer): Buffer | Promise<Buffer>
  /** Synchronous, since a run reveals a secret in the middle of a step. */
  decrypt(sealed: Buffer): Buffer
  /**
   * Told the sealed values of its scheme once, when the workspace opens: a cipher whose keys
   * live in another process opens them ahead, as decrypt cannot wait for an answer.
   */
  openAhead?(sealed: Buffer[]): Promise<void>
}

/** AES-256-GCM with a 32-byte key. Layout: 12-byte IV ‖ 16-byte tag ‖ ciphertext. */
export function aesCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('The secrets key must be 32 bytes')
  return {
    scheme: 'aes-256-gcm',
    encrypt(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([c.update(plain), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decrypt(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      d.setAuthTag(sealed.subarray(12, 28))
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()])
    },
  }
}

/** The key in a 0600 file (created with a random key when missing); used where no OS keychain is reachable. */
export function readOrCreateKey(keyFile: string): Buffer {
  if (existsSync(keyFile)) {
    const key = readFileSync(keyFile)
    if (key.length !== 32) throw new Error(`The secrets key ${keyFile} is damaged (expected 32 bytes); restore it from a backup`)
    if (process.platform !== 'win32' && (statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, 0o600)
    return key
  }
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  // 'wx' fails if another process created it first; then use theirs.
  try {
    writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' })
    return key
  } catch {
    return readFileSync(keyFile)
  }
}

export const fileKeyCipher = (keyFile: string): SecretCipher => aesCipher(readOrCreateKey(keyFile))
