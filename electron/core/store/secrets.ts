// Sealed secrets at rest: the store keeps ciphertext and the scheme that sealed it, never a value.
import { cached, type Store } from './db'

export interface SecretInfo {
  name: string
  createdAt: string
  updatedAt: string
}

export interface SealedSecret {
  ciphertext: Buffer
  scheme: string
}

/** Adds a secret or replaces its ciphertext; a replaced one keeps when it was first made. */
export function putSealedSecret(store: Store, name: string, sealed: SealedSecret, at: string): void {
  cached(
    store.sqlite,
    `INSERT INTO secrets (name, ciphertext, scheme, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET ciphertext = excluded.ciphertext, scheme = excluded.scheme, updated_at = excluded.updated_at`,
  ).run(name, sealed.ciphertext, sealed.scheme, at, at)
}

export function listSecretInfos(store: Store): SecretInfo[] {
  return cached(store.sqlite, 'SELECT name, created_at AS createdAt, updated_at AS updatedAt FROM secrets ORDER BY name').all() as SecretInfo[]
}

export function getSealedSecret(store: Store, name: string): SealedSecret | null {
  return (cached(store.sqlite, 'SELECT ciphertext, scheme FROM secrets WHERE name = ?').get(name) as SealedSecret | undefined) ?? null
}

/** The ciphertexts sealed with `scheme` (what a cipher opens ahead, SecretCipher.openAhead). */
export function sealedCiphertexts(store: Store, scheme: string): Buffer[] {
  return (cached(store.sqlite, 'SELECT ciphertext FROM secrets WHERE scheme = ?').all(scheme) as { ciphertext: Buffer }[]).map(
    (r) => r.ciphertext,
  )
}
