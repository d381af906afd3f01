import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import * as schema from './schema'
import { migrate } from './migrate'

export type Db = BetterSQLite3Database<typeof schema>
export type Sqlite = Database.Database

export interface OpenOptions {
  migrationsDir?: string
  /** Path to a better_sqlite3.node built for the running ABI (Electron passes its own build). */
  nativeBinding?: string
  readonly?: boolean
}

export interface Store {
  sqlite: Sqlite
  db: Db
  schemaVersion: number
  close(): void
}

/**
 * Opens (and migrates) a workspace database. WAL lets the host, the CLI and the app read
 * while one of them writes; the busy timeout turns a concurrent writer into a short wait
 * instead of SQLITE_BUSY.
 */
export function openStore(file: string, opts: OpenOptions = {}): Store {
  const sqlite = new Database(file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  })
  try {
    sqlite.pragma('busy_timeout = 10000')
    if (!opts.readonly) {
      sqlite.pragma('journal_mode = WAL')
      // NORMAL is durable across application crashes in WAL mode; only an OS crash can
      // lose the last transactions, never corrupt the file.
      sqlite.pragma('synchronous = NORMAL')
    }
    sqlite.pragma('foreign_keys = ON')
    const schemaVersion = opts.readonly ? readSchemaVersion(sqlite) : migrate(sqlite, opts.migrationsDir)
    const db = drizzle(sqlite, { schema })
    return { sqlite, db, schemaVersion, close: () => sqlite.close() }
  } catch (err) {
    sqlite.close()
    throw err
  }
}

function readSchemaVersion(sqlite: Sqlite): number {
  const row = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='opdesk_migrations'")
    .get()
  if (!row) return 0
  return (sqlite.prepare('SELECT count(*) AS n FROM opdesk_migrations').get() as { n: number }).n
}

const statementCaches = new WeakMap<Sqlite, Map<string, Database.Statement>>()
/** Distinct SQL texts kept per connection (some are built from filters); oldest go first. */
const STATEMENT_CACHE_MAX = 256

/**
 * A statement prepared once per connection and reused: preparing costs more than running
 * most of these queries. Only for `.run()`, `.get()` and `.all()`, which finish before they
 * return, so a shared statement is never re-entered; `.iterate()` and the mode switches
 * (`.pluck()`, `.expand()`, `.safeIntegers()`) need a statement of their own (`prepare`).
 * `raw` asks for a separate statement kept in raw mode, never switched back.
 */
export function cached(sqlite: Sqlite, sql: string, mode: 'rows' | 'raw' = 'rows'): Database.Statement {
  let cache = statementCaches.get(sqlite)
  if (!cache) statementCaches.set(sqlite, (cache = new Map()))
  const key = mode === 'raw' ? `raw\0${sql}` : sql
  let stmt = cache.get(key)
  if (!stmt) {
    stmt = sqlite.prepare(sql)
    if (mode === 'raw') stmt.raw(true)
    if (cache.size >= STATEMENT_CACHE_MAX) cache.delete(cache.keys().next().value!)
    cache.set(key, stmt)
  }
  return stmt
}

/**
 * Runs `fn` as one write transaction, begun IMMEDIATE so a second writer (the host, the CLI)
 * waits for the lock at the start instead of failing on its first write; inside a transaction
 * already open, `fn` joins it. Services group store writes with this instead of reaching
 * for the connection.
 */
export function transaction<T>(store: Store, fn: () => T): T {
  return store.sqlite.inTransaction ? fn() : store.sqlite.transaction(fn).immediate()
}
