// Test support: a real open-source login with TOTP two-factor (django-otp's OTPAdminSite on
// Django), so prompt detection is tested against code nobody here wrote. Each call starts
// its own server on a fresh SQLite file with a fresh user and key; nothing is shared.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Secret, TOTP } from 'otpauth'

export interface DjangoOtpAdmin {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string
  /** The OTPAdminSite login page: username, password and "OTP Token". */
  loginUrl: string
  username: string
  password: string
  /** The hex key of the user's confirmed TOTP device, as django-otp stores it. */
  totpKeyHex: string
  /**
   * The 6-digit code for `at` (ms since epoch, default now). django-otp refuses a code whose
   * 30 s step it has already accepted, and after a wrong code refuses every code for a
   * moment (1 s, doubling per failure); a second login can pass `Date.now() + 30_000`.
   */
  totp(at?: number): string
  stop(): Promise<void>
}

// Debian's python3-django and python3-django-otp live under the system interpreter, not
// whatever pyenv or venv python3 comes first on PATH.
const PYTHON = '/usr/bin/python3'
const PROJECT_DIR = fileURLToPath(new URL('./django-otp/', import.meta.url))
const PACKAGES = 'python3-django python3-django-otp'
const READY_TIMEOUT_MS = 30_000

// A test that fails before stop() must not leave a server holding a port after vitest exits.
const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const proc of live) proc.kill('SIGKILL')
})

export async function startDjangoOtpAdmin(): Promise<DjangoOtpAdmin> {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-django-otp-'))
  const username = `admin-${randomBytes(3).toString('hex')}`
  const password = randomBytes(12).toString('base64url')
  const totpKeyHex = randomBytes(20).toString('hex') // django-otp's default key length
  const totp = new TOTP({ secret: Secret.fromHex(totpKeyHex), algorithm: 'SHA1', digits: 6, period: 30 })
  try {
    // The free port is only probed, so another process may take it first; then try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      let proc: ChildProcess
      try {
        proc = await serve(dir, port, { username, password, totpKeyHex })
      } catch (err) {
        if (err instanceof PortTaken && attempt < 3) continue
        throw err
      }
      const baseUrl = `http://127.0.0.1:${port}`
      return {
        baseUrl,
        loginUrl: `${baseUrl}/admin/login/`,
        username,
        password,
        totpKeyHex,
        totp: (at = Date.now()) => totp.generate({ timestamp: at }),
        async stop() {
          await kill(proc)
          rmSync(dir, { recursive: true, force: true })
        },
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}

class PortTaken extends Error {}

async function serve(
  dir: string,
  port: number,
  seed: { username: string; password: string; totpKeyHex: string },
): Promise<ChildProcess> {
  // serve.py migrates into the data dir; a retry must not find the last attempt's user.
  rmSync(join(dir, 'db.sqlite3'), { force: true })
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPDESK_DJANGO_DATA_DIR: dir,
    OPDESK_DJANGO_USERNAME: seed.username,
    OPDESK_DJANGO_PASSWORD: seed.password,
    OPDESK_DJANGO_TOTP_KEY: seed.totpKeyHex,
    // Keep the source tree free of __pycache__ and the log readable as it happens.
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
  }
  // A pyenv or venv setting these would point the system interpreter at the wrong packages.
  delete env.PYTHONHOME
  delete env.PYTHONPATH
  const proc = spawn(PYTHON, ['serve.py', `127.0.0.1:${port}`], {
    cwd: PROJECT_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(proc)
  proc.once('exit', () => live.delete(proc))
  // Both pipes must keep draining for the server's whole life; only the tail matters.
  let log = ''
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-8000))
  proc.stdout!.on('data', keep)
  proc.stderr!.on('data', keep)

  let gone = false
  const failed = new Promise<never>((_, reject) => {
    proc.once('error', (err: NodeJS.ErrnoException) => {
      gone = true
      reject(
        err.code === 'ENOENT' ? new Error(`${PYTHON} not found; on Debian: apt-get install python3 ${PACKAGES}`) : err,
      )
    })
    // 'close', not 'exit': only then has all of the server's output arrived for the message.
    proc.once('close', (code, signal) => {
      gone = true
      if (code === 3)
        reject(
          new Error(`${PYTHON} lacks Django or django-otp (${log.trim()}); on Debian: apt-get install ${PACKAGES}`),
        )
      else if (/port is already in use/i.test(log)) reject(new PortTaken(`port ${port} is taken`))
      else reject(new Error(`Django test server exited (${signal ?? code}) before answering:\n${log}`))
    })
  })
  try {
    await Promise.race([failed, waitForHttp(`http://127.0.0.1:${port}/admin/login/`, () => gone)])
    return proc
  } catch (err) {
    // A timeout says nothing by itself; the server's own output usually does.
    if (!gone && err instanceof Error) err.message += `\n${log}`
    await kill(proc)
    throw err
  }
}

async function waitForHttp(url: string, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (!gaveUp()) {
    try {
      const res = await fetch(url, { redirect: 'manual' })
      await res.body?.cancel()
      if (res.ok) return
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`Django test server did not answer ${url} within ${READY_TIMEOUT_MS} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return
  const exited = new Promise((r) => proc.once('exit', r))
  proc.kill('SIGTERM')
  // runserver exits on SIGTERM at once; SIGKILL only if a request handler hangs it.
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
