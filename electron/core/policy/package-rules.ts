// Package managers: installing runs third-party install scripts, publishing and one-off runners reach out.
import type { Rule } from './rule-context'
import { approval } from './verdict'

// Subcommands that install, upgrade or remove packages; installing runs the packages' own scripts.
const INSTALLS: Record<string, string[]> = {
  npm: [
    'install',
    'i',
    'in',
    'ins',
    'inst',
    'insta',
    'instal',
    'isnt',
    'isnta',
    'isntal',
    'isntall',
    'add',
    'ci',
    'update',
    'up',
    'upgrade',
    'install-test',
    'it',
  ],
  pnpm: ['add', 'install', 'i', 'update', 'up', 'upgrade'],
  yarn: ['add', 'install', 'upgrade', 'up', 'global'],
  bun: ['add', 'install', 'i', 'update'],
  pip: ['install', 'download'],
  pipx: ['install', 'inject'],
  uv: ['add', 'pip', 'tool'],
  poetry: ['add', 'install'],
  conda: ['install', 'create', 'update'],
  mamba: ['install', 'create', 'update'],
  apt: ['install', 'reinstall', 'upgrade', 'full-upgrade', 'dist-upgrade', 'remove', 'purge', 'autoremove'],
  dnf: ['install', 'reinstall', 'upgrade', 'update', 'remove', 'erase'],
  zypper: ['install', 'in', 'update', 'up', 'remove', 'rm'],
  apk: ['add', 'del', 'upgrade'],
  brew: ['install', 'reinstall', 'upgrade', 'uninstall', 'tap'],
  cargo: ['install'],
  gem: ['install', 'update'],
  go: ['install', 'get'],
  composer: ['require', 'install', 'update'],
  snap: ['install', 'refresh', 'remove'],
  flatpak: ['install', 'update', 'uninstall'],
  port: ['install'],
}
const INSTALL_ALIASES: Record<string, string> = { 'apt-get': 'apt', aptitude: 'apt', yum: 'dnf', micromamba: 'mamba' }
const PUBLISHES: Record<string, string[]> = {
  npm: ['publish'],
  pnpm: ['publish'],
  yarn: ['publish'],
  cargo: ['publish'],
  gem: ['push'],
  twine: ['upload'],
  poetry: ['publish'],
}
const RUNNERS: Record<string, string[]> = {
  npm: ['exec', 'x'],
  pnpm: ['dlx'],
  yarn: ['dlx'],
  bun: ['x'],
  pipx: ['run'],
}
const PM_WITH_ARG = [
  '--prefix',
  '-C',
  '--dir',
  '--cwd',
  '-w',
  '--workspace',
  '--filter',
  '-F',
  '--registry',
  '--cache',
  '--userconfig',
  '--project',
]

const packages: Rule = (name, argv, rc) => {
  const manager = INSTALL_ALIASES[name] ?? (isPip(name) ? 'pip' : name)
  let i = 1
  while (argv[i]?.value.startsWith('-')) i += PM_WITH_ARG.includes(argv[i]?.value ?? '') ? 2 : 1
  const sub = argv[i]?.value ?? ''
  const next = argv[i + 1]?.value ?? ''
  if (PUBLISHES[manager]?.includes(sub)) rc.own(approval('high', `\`${name} ${sub}\` publishes a package`))
  else if (RUNNERS[manager]?.includes(sub))
    rc.own(approval('medium', `\`${name} ${sub}\` downloads and runs a package`))
  else if (manager === 'pacman' && argv.some((a) => /^-[SUR]/.test(a.value)))
    rc.own(approval('medium', `${rc.shown} changes system packages`))
  else if (INSTALLS[manager]?.includes(sub) && !(manager === 'uv' && sub !== 'add' && next !== 'install')) {
    const system = ['apt', 'dnf', 'zypper', 'apk', 'snap', 'flatpak', 'port'].includes(manager)
    const what = system ? 'changes system packages' : "installs packages, which runs the packages' own install scripts"
    rc.own(approval('medium', `\`${name} ${sub}\` ${what}`))
  } else if (manager === 'yarn' && sub === '') {
    rc.own(approval('medium', "`yarn` installs packages, which runs the packages' own install scripts"))
  }
}

const runner: Rule = (name, _argv, rc) => rc.own(approval('medium', `\`${name}\` downloads and runs a package`))

const isPip = (name: string): boolean => /^pip[0-9.]*$/.test(name)

const RULES: Record<string, Rule> = {
  ...Object.fromEntries(
    [...Object.keys(INSTALLS), ...Object.keys(INSTALL_ALIASES), ...Object.keys(PUBLISHES), 'pacman'].map((n) => [
      n,
      packages,
    ]),
  ),
  npx: runner,
  bunx: runner,
  pnpx: runner,
  uvx: runner,
}

/** The rule for a package manager or package runner (pip3.12 included), if `name` is one. */
export const packageRuleFor = (name: string): Rule | undefined => RULES[name] ?? (isPip(name) ? packages : undefined)
