import { nowIso } from '../ids'
import type { Store } from '../store/db'
import { getSealedSecret, listSecretInfos, putSealedSecret, sealedCiphertexts, type SecretInfo } from '../store/secrets'
import type { SecretCipher } from './cipher'

export type { SecretInfo }

/** Named secrets, sealed at rest. Only names ever leave this module through the API. */
export class SecretStore {
  constructor(
    private readonly store: Store,
    private readonly cipher: SecretCipher,
  ) {}

  async put(name: string, value: string): Promise<SecretInfo> {
    const sealed = await this.cipher.encrypt(Buffer.from(value, 'utf8'))
    putSealedSecret(this.store, name, { ciphertext: sealed, scheme: this.cipher.scheme }, nowIso())
    return this.list().find((s) => s.name === name)!
  }

  list(): SecretInfo[] {
    return listSecretInfos(this.store)
  }

  names(): Set<string> {
    return new Set(this.list().map((s) => s.name))
  }

  /** The sealed values this store's cipher can open (for SecretCipher.openAhead). */
  sealedValues(): Buffer[] {
    return sealedCiphertexts(this.store, this.cipher.scheme)
  }

  /** Decrypts at the moment of use; callers must not keep, log or persist the result. */
  reveal(name: string): string {
    const row = getSealedSecret(this.store, name)
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
