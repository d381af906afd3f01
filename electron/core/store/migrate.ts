import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type Database from 'better-sqlite3'

interface JournalEntry {
  idx: number
  tag: string
}

export class SchemaError extends Error {
  override name = 'SchemaError'
}

/** drizzle-kit writes migrations beside the schema; bundles copy them beside the bundle. */
export function defaultMigrationsDir(): string {
  const candidates = [new URL('./migrations/', import.meta.url), new URL('./store/migrations/', import.meta.url)]
  for (const c of candidates) {
    if (c.protocol === 'file:' && existsSync(fileURLToPath(new URL('meta/_journal.json', c)))) return fileURLToPath(c)
  }
  throw new SchemaError('Cannot find the database migrations folder; pass migrationsDir explicitly.')
}

/**
 * Applies drizzle-kit's generated SQL migrations in order. We run them ourselves rather than
 * with drizzle's migrator to get three guarantees it does not give: each migration runs in a
 * BEGIN IMMEDIATE transaction (two processes opening a fresh workspace cannot both apply it),
 * an applied migration whose file was later edited is reported, and a database written by a
 * newer Opdesk is refused instead of being half-understood.
 */
export function migrate(sqlite: Database.Database, dir = defaultMigrationsDir()): number {
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }
  const migrations = journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map((e) => {
      const sql = readFileSync(join(dir, `${e.tag}.sql`), 'utf8')
      return { ...e, sql, hash: createHash('sha256').update(sql).digest('hex') }
    })

  sqlite.exec(`CREATE TABLE IF NOT EXISTS opdesk_migrations (
    idx INTEGER PRIMARY KEY, tag TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)`)

  const applied = () =>
    sqlite.prepare('SELECT idx, tag, hash FROM opdesk_migrations ORDER BY idx').all() as {
      idx: number
      tag: string
      hash: string
    }[]

  const check = () => {
    const rows = applied()
    const newest = rows.at(-1)
    if (newest && newest.idx >= migrations.length) {
      throw new SchemaError(
        `This workspace was written by a newer Opdesk (schema ${newest.idx + 1}, this build knows ${migrations.length}). ` +
          'Update Opdesk to open it; nothing was changed.',
      )
    }
    for (const row of rows) {
      const m = migrations[row.idx]
      if (m && m.hash !== row.hash) {
        throw new SchemaError(`Migration ${row.tag} was edited after it was applied; restore it and add a new migration instead.`)
      }
    }
    return rows.length
  }

  let done = check()
  for (const m of migrations.slice(done)) {
    const apply = sqlite.transaction(() => {
      // Another process may have applied it while we waited for the write lock.
      const exists = sqlite.prepare('SELECT 1 FROM opdesk_migrations WHERE idx = ?').get(m.idx)
      if (exists) return
      for (const stmt of m.sql.split('--> statement-breakpoint')) {
        if (stmt.trim()) sqlite.exec(stmt)
      }
      sqlite
        .prepare('INSERT INTO opdesk_migrations (idx, tag, hash, applied_at) VALUES (?, ?, ?, ?)')
        .run(m.idx, m.tag, m.hash, new Date().toISOString())
    })
    apply.immediate()
  }
  done = check()
  return done
}
