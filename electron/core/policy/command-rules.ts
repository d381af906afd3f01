// Built-in rules for commands that destroy data, stop the machine, publish, install or reach the network.
import { catastrophicTarget, isDiskDevice, isOutsideWorkspace } from './command-words'
import type { Arg } from './command-words'
import { EXEC_RULES, interpreterRule } from './exec-rules'
import { packageRuleFor } from './package-rules'
import type { Rule, RuleContext } from './rule-context'
import { approval, deny } from './verdict'

const operands = (argv: Arg[]): Arg[] => {
  const out: Arg[] = []
  let options = true
  for (const a of argv.slice(1)) {
    if (options && a.literal && a.value === '--') options = false
    else if (!(options && a.literal && a.value.startsWith('-') && a.value !== '-')) out.push(a)
  }
  return out
}

/** Whether a short letter (also inside clusters like `-rf`) or a long option is present. */
const hasFlag = (argv: Arg[], short: string, long: string[]): boolean =>
  argv
    .slice(1)
    .some(
      (a) =>
        a.literal &&
        (long.includes(a.value.split('=')[0] ?? '') ||
          (/^-[A-Za-z]+$/.test(a.value) && new RegExp(`[${short}]`).test(a.value))),
    )

const rm: Rule = (_name, argv, rc) => {
  const recursive = hasFlag(argv, 'rR', ['--recursive'])
  const force = hasFlag(argv, 'f', ['--force'])
  const targets = operands(argv)
  if (recursive) {
    const wrecked = targets.map((t) => catastrophicTarget(t.value)).find(Boolean)
    if (wrecked === 'the whole filesystem') rc.own(deny('critical', `${rc.shown} deletes the whole filesystem`))
    else if (wrecked) rc.own(deny('critical', `${rc.shown} deletes ${wrecked}`))
    else if (targets.some((t) => !t.literal))
      rc.own(approval('high', `${rc.shown} recursively deletes a path decided at run time`))
    else rc.own(approval(force ? 'high' : 'medium', `${rc.shown} recursively deletes a directory tree`))
  } else if (targets.some((t) => t.literal && isOutsideWorkspace(t.value, rc.ctx))) {
    rc.own(approval('medium', `${rc.shown} deletes files outside the workspace`))
  }
}

const mkfs: Rule = (_name, _argv, rc) =>
  rc.own(deny('critical', `${rc.shown} formats a disk, erasing everything on it`))

const dd: Rule = (_name, argv, rc) => {
  for (const a of argv.slice(1)) {
    if (!a.value.startsWith('of=')) continue
    const target = a.value.slice(3)
    if (a.literal && isDiskDevice(target))
      rc.own(deny('critical', `${rc.shown} overwrites the disk device \`${target}\``))
    else rc.writes({ ...a, value: target }, `dd of=${target}`)
  }
}

const wipe: Rule = (name, argv, rc) => {
  const devices = operands(argv).filter((a) => isDiskDevice(a.value))
  if (devices.length > 0 || name === 'wipefs') rc.own(deny('critical', `${rc.shown} destroys the data on a disk`))
  else if (operands(argv).some((a) => isOutsideWorkspace(a.value, rc.ctx)))
    rc.own(approval('medium', `${rc.shown} destroys files outside the workspace`))
}

const partition: Rule = (name, _argv, rc) => rc.own(approval('high', `\`${name}\` edits disk partitions`))

const power: Rule = (name, _argv, rc) =>
  rc.own(deny('critical', `${rc.shown} ${name === 'reboot' ? 'restarts' : 'shuts down'} the machine`))

const init: Rule = (_name, argv, rc) => {
  if (['0', '6'].includes(argv[1]?.value ?? ''))
    rc.own(deny('critical', `${rc.shown} shuts down or restarts the machine`))
}

const systemctl: Rule = (_name, argv, rc) => {
  if (operands(argv).some((a) => ['poweroff', 'reboot', 'halt', 'kexec', 'soft-reboot'].includes(a.value))) {
    rc.own(deny('critical', `${rc.shown} shuts down or restarts the machine`))
  }
}

/** `kill -9 -1` signals every process the user owns; the first `-N` is the signal, a later `-1` is "all". */
const kill: Rule = (_name, argv, rc) => {
  const rest = argv.slice(1)
  const first = rest[0]?.value ?? ''
  const pids = /^-/.test(first) && first !== '--' ? rest.slice(first === '-s' || first === '-n' ? 2 : 1) : rest
  if (pids.some((a) => a.value === '-1')) rc.own(deny('critical', `${rc.shown} kills every process`))
}

const killByName: Rule = (name, _argv, rc) => rc.own(approval('medium', `\`${name}\` stops processes by name`))

const WORLD_WRITABLE = /^(0?[0-7]?77[67]|[ugoa]*[+=][rwxXst]*w[rwxXst]*)$/

const permissions: Rule = (name, argv, rc) => {
  const recursive = hasFlag(argv, 'R', ['--recursive'])
  const [spec, ...targets] = operands(argv)
  const wrecked = targets.map((t) => catastrophicTarget(t.value)).find(Boolean)
  if (recursive && wrecked) {
    const wide = name === 'chmod' && spec && WORLD_WRITABLE.test(spec.value) ? 'world-writable' : null
    const what = wide
      ? `makes every file in ${wrecked} world-writable`
      : `changes ${name === 'chmod' ? 'permissions' : 'ownership'} of everything in ${wrecked}`
    rc.own(deny('critical', `${rc.shown} ${what}`))
  } else if (targets.some((t) => !t.literal || isOutsideWorkspace(t.value, rc.ctx))) {
    rc.own(
      approval('medium', `${rc.shown} changes ${name === 'chmod' ? 'permissions' : 'ownership'} outside the workspace`),
    )
  }
}

const cd: Rule = (name, argv, rc) => {
  if (rc.cfg.commands.cwdOutsideWorkspace) return
  const target = operands(argv)[0]
  if (!target)
    rc.own(approval('medium', `\`${name}\` with no directory goes to the home directory, outside the workspace`))
  else if (!target.literal) rc.own(approval('medium', `${rc.shown} changes to a directory decided at run time`))
  else if (target.value === '-' || isOutsideWorkspace(target.value, rc.ctx))
    rc.own(approval('medium', `${rc.shown} leaves the workspace`))
}

const tee: Rule = (_name, argv, rc) => {
  for (const t of operands(argv)) rc.writes(t, `tee ${t.value}`)
}

/** cp/mv/install write to their last operand (or `-t DIR`); mv also removes its sources. */
const copy: Rule = (name, argv, rc) => {
  const ops = operands(argv)
  const t = argv.findIndex((a) => a.value === '-t' || a.value.startsWith('--target-directory='))
  const flag = argv[t]
  const dest = flag
    ? flag.value.includes('=')
      ? { ...flag, value: flag.value.slice(flag.value.indexOf('=') + 1) }
      : argv[t + 1]
    : ops.length > 1
      ? ops[ops.length - 1]
      : undefined
  if (dest) rc.writes(dest, rc.text)
  if (name !== 'mv') return
  const sources = ops.filter((o) => o !== dest && o.value !== dest?.value)
  const wrecked = sources.map((s) => catastrophicTarget(s.value)).find(Boolean)
  if (wrecked) rc.own(deny('critical', `${rc.shown} moves away ${wrecked}`))
  else if (sources.some((s) => s.literal && isOutsideWorkspace(s.value, rc.ctx)))
    rc.own(approval('medium', `${rc.shown} moves files from outside the workspace`))
}

/** Editors that rewrite files in place: the edited files are write targets. */
const inPlace: Rule = (name, argv, rc) => {
  if (name === 'sed' && !argv.some((a) => /^(-[A-Za-z]*i|--in-place)/.test(a.value))) return
  const ops = operands(argv)
  const scripted = argv.some((a) => a.value === '-e' || a.value === '-f' || a.value.startsWith('--expression'))
  for (const target of name === 'sed' && !scripted ? ops.slice(1) : ops) rc.writes(target, rc.text)
}

const crontab: Rule = (_name, argv, rc) => {
  if (!argv.some((a) => a.value === '-l'))
    rc.own(approval('medium', '`crontab` changes commands scheduled to run later'))
}

const RISKY_GIT_CONFIG =
  /^(alias\..*|core\.(sshcommand|pager|editor|fsmonitor|hookspath|askpass)|.*\.(textconv|helper|proxycommand)|diff\.external|sequence\.editor)$/i

function gitConfigRisk(rc: RuleContext, setting: string): void {
  const key = setting.split('=')[0] ?? ''
  if (RISKY_GIT_CONFIG.test(key) && (!key.toLowerCase().startsWith('alias.') || setting.includes('=!'))) {
    rc.own(approval('high', `\`git -c ${key}\` makes git run an arbitrary command`))
  }
}

const git: Rule = (_name, argv, rc) => {
  let i = 1
  for (let a = argv[i]; a?.literal && a.value.startsWith('-'); a = argv[++i]) {
    const v = a.value
    const value = argv[i + 1]
    if (v === '-C' && value) {
      if (!rc.cfg.commands.cwdOutsideWorkspace && (!value.literal || isOutsideWorkspace(value.value, rc.ctx))) {
        rc.own(approval('medium', `\`git -C ${value.value}\` works on a repository outside the workspace`))
      }
      i++
    } else if (v === '-c' && value) {
      gitConfigRisk(rc, value.value)
      i++
    } else if (['--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env'].includes(v)) {
      i++
    }
  }
  const sub = argv[i]?.value ?? ''
  const args = argv.slice(i + 1).map((a) => a.value)
  const has = (...flags: string[]): boolean => args.some((a) => flags.some((f) => a === f || a.startsWith(f + '=')))
  const short = (letter: string): boolean =>
    args.some((a) => new RegExp(`^-[A-Za-z]*${letter}`).test(a) && !a.startsWith('--'))
  if (sub === 'push') {
    if (
      has('--force', '--force-with-lease', '--force-if-includes', '--mirror') ||
      short('f') ||
      args.some((a) => a.startsWith('+'))
    ) {
      rc.own(approval('high', '`git push --force` rewrites published history'))
    } else if (has('--delete', '--prune') || short('d') || args.some((a) => a.startsWith(':'))) {
      rc.own(approval('high', '`git push --delete` deletes remote branches'))
    } else {
      rc.own(approval('high', '`git push` publishes commits'))
    }
  } else if (sub === 'rebase' && !has('--abort', '--quit', '--show-current-patch')) {
    rc.own(approval('medium', '`git rebase` rewrites history'))
  } else if (sub === 'reset' && has('--hard', '--merge', '--keep')) {
    rc.own(approval('medium', '`git reset --hard` rewrites history and discards uncommitted changes'))
  } else if (sub === 'filter-branch' || sub === 'filter-repo') {
    rc.own(approval('high', `\`git ${sub}\` rewrites the whole history`))
  } else if (sub === 'commit' && has('--amend')) {
    rc.own(approval('medium', '`git commit --amend` rewrites the last commit'))
  } else if (sub === 'clean' && (short('f') || has('--force')) && !short('n') && !has('--dry-run')) {
    rc.own(approval('medium', `${rc.shown} deletes untracked files`))
  } else if (sub === 'branch' && (short('D') || (has('--delete') && has('--force')))) {
    rc.own(approval('medium', `${rc.shown} deletes a branch that may not be merged`))
  } else if (sub === 'stash' && ['drop', 'clear'].includes(args[0] ?? '')) {
    rc.own(approval('medium', `${rc.shown} deletes stashed changes`))
  } else if (sub === 'reflog' && ['expire', 'delete'].includes(args[0] ?? '')) {
    rc.own(approval('medium', `${rc.shown} drops recovery points for rewritten history`))
  } else if (sub === 'config') {
    const keyIndex = args.findIndex((a) => !a.startsWith('-'))
    if (keyIndex >= 0) gitConfigRisk(rc, `${args[keyIndex]}=${args[keyIndex + 1] ?? ''}`)
  } else if (sub === 'submodule' && args[0] === 'foreach') {
    const script = argv.slice(i + 2).filter((a) => !a.value.startsWith('--'))
    rc.runCode(
      script.find((a) => !a.literal) ?? { value: script.map((a) => a.value).join(' '), literal: true, word: null },
      'git submodule foreach',
    )
  }
}

/** Tools whose output is remote content: piping it into a shell runs downloaded code. */
export const FETCHERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'xh',
  'lwp-download',
  'nc',
  'ncat',
  'netcat',
  'socat',
])
const NETWORK = [...FETCHERS, 'ssh', 'scp', 'sftp', 'telnet', 'ftp', 'lftp', 'mosh', 'tftp']

const network: Rule = (name, _argv, rc) => {
  rc.own(approval('medium', `\`${name}\` reaches the network`))
  return FETCHERS.has(name) ? { fetches: name } : undefined
}

const rsync: Rule = (name, argv, rc) => {
  const remote = argv
    .slice(1)
    .some(
      (a) =>
        (/^[^/]*:/.test(a.value) && !a.value.startsWith('-')) ||
        a.value.startsWith('rsync://') ||
        ['-e', '--rsh'].includes(a.value.split('=')[0] ?? ''),
    )
  if (remote) rc.own(approval('medium', `\`${name}\` to a remote host reaches the network`))
}

const RULES: Record<string, Rule> = {
  ...EXEC_RULES,
  ...Object.fromEntries(NETWORK.map((n) => [n, network])),
  rm,
  dd,
  shred: wipe,
  wipefs: wipe,
  mke2fs: mkfs,
  mkswap: mkfs,
  fdisk: partition,
  sfdisk: partition,
  gdisk: partition,
  sgdisk: partition,
  parted: partition,
  shutdown: power,
  reboot: power,
  halt: power,
  poweroff: power,
  init,
  telinit: init,
  systemctl,
  kill,
  killall: killByName,
  pkill: killByName,
  chmod: permissions,
  chown: permissions,
  chgrp: permissions,
  cd,
  pushd: cd,
  tee,
  cp: copy,
  mv: copy,
  install: copy,
  truncate: inPlace,
  sed: inPlace,
  crontab,
  git,
  rsync,
}

export function ruleFor(name: string): Rule | undefined {
  if (name.startsWith('mkfs')) return mkfs
  return RULES[name] ?? packageRuleFor(name) ?? interpreterRule(name)
}
