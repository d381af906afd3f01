import { nowIso } from '../ids'
import type { Store } from '../store/db'
import type { SecretCipher } from './cipher'

export interface SecretInfo {
  name: string
  createdAt: string
  updatedAt: string
}

/** Named secrets, sealed at rest. Only names ever leave this module through the API. */
export class SecretStore {
  constructor(
    private readonly store: Store,
    private readonly cipher: SecretCipher,
  ) {}

  async put(name: string, value: string): Promise<SecretInfo> {
    const sealed = await this.cipher.encrypt(Buffer.from(value, 'utf8'))
    const now = nowIso()
    this.store.sqlite
      .prepare(
        `INSERT INTO secrets (name, ciphertext, scheme, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET ciphertext = excluded.ciphertext, scheme = excluded.scheme, updated_at = excluded.updated_at`,
      )
      .run(name, sealed, this.cipher.scheme, now, now)
    return this.list().find((s) => s.name === name)!
  }

  list(): SecretInfo[] {
    return this.store.sqlite
      .prepare('SELECT name, created_at AS createdAt, updated_at AS updatedAt FROM secrets ORDER BY name')
      .all() as SecretInfo[]
  }

  names(): Set<string> {
    return new Set(this.list().map((s) => s.name))
  }

  /** The sealed values this store's cipher can open (for SecretCipher.prepare). */
  sealedValues(): Buffer[] {
    const rows = this.store.sqlite.prepare('SELECT ciphertext FROM secrets WHERE scheme = ?').all(this.cipher.scheme) as {
      ciphertext: Buffer
    }[]
    return rows.map((r) => r.ciphertext)
  }

  /** Decrypts at the moment of use; callers must not keep, log or persist the result. */
  reveal(name: string): string {
    const row = this.store.sqlite.prepare('SELECT ciphertext, scheme FROM secrets WHERE name = ?').get(name) as
      | { ciphertext: Buffer; scheme: string }
      | undefined
    if (!row) throw new Error(`Secret "${name}" is not set; add it under Settings → Secrets`)
    if (row.scheme !== this.cipher.scheme) {
      throw new Error(`Secret "${name}" was sealed with ${row.scheme}, which this Opdesk cannot open here; set it again`)
    }
    return this.cipher.decrypt(row.ciphertext).toString('utf8')
  }
}

/** Replaces every occurrence of the given values (secrets, typed codes) in text. */
export function redact(text: string, values: Iterable<string>): string {
  let out = text
  for (const v of values) {
    if (v.length >= 3) out = out.split(v).join('••••••')
  }
  return out
}
