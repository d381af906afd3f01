// Seals workspace secrets with the OS keychain (Electron safeStorage), as DESIGN.md asks
// of the desktop app. Secrets record the scheme they were sealed with, so one set here
// is refused with a clear message by host mode or the CLI (which have no keychain) rather
// than read wrongly; they fall back to OPDESK_KEY or a 0600 key file in the user's config
// folder (never the workspace, which command runs can read).
import { safeStorage } from 'electron'
import type { SecretCipher } from '../core/secrets/cipher'

/** undefined means "use the core's default (0600 key file outside the workspace)". Call after app 'ready'. */
export function safeStorageCipher(): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  // Linux without a keyring falls back to a key hard-coded in Chromium ('basic_text'):
  // weaker than the per-workspace random key, so keep that instead.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined
  return {
    scheme: 'safe-storage',
    // encryptString takes text; base64 keeps arbitrary bytes intact through it.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  }
}
