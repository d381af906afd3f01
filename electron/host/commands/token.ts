// `opdesk token add NAME [--role viewer|operator|approver] | list | revoke NAME`: named
// host-mode tokens. The token is printed once; the workspace keeps only its sha256.
import { ROLES, type Role } from '../../../shared/api'
import { DomainError } from '../../core/errors'
import { namedTokens } from '../../core/identity'
import { openCore, pad, parseArgs, workspaceArg } from './shared'

const USAGE = 'usage: opdesk token add NAME [--role viewer|operator|approver|admin] | list [--json] | revoke NAME  [--workspace DIR]\n'

export async function tokenCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { workspace: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  })
  const [sub, name, ...extra] = positionals
  if (!sub || extra.length || (sub !== 'list' && !name)) {
    process.stderr.write(USAGE)
    return 2
  }
  const role = (values.role ?? 'operator') as Role
  if (sub === 'add' && !ROLES.includes(role)) {
    process.stderr.write(`opdesk token: --role must be one of ${ROLES.join(', ')}, not "${values.role}"\n`)
    return 2
  }
  const core = await openCore(workspaceArg(values), { passive: true, quiet: true })
  try {
    if (sub === 'add') {
      const { token, info } = namedTokens(core.ws).add(name!, role)
      process.stdout.write(values.json ? `${JSON.stringify({ ...info, token })}\n` : `${token}\n`)
      process.stderr.write(`Token "${info.name}" (${info.role}) created. It is shown only now; Opdesk keeps only its hash.\n`)
      return 0
    }
    if (sub === 'list') {
      const all = namedTokens(core.ws).list()
      if (values.json) process.stdout.write(`${JSON.stringify(all)}\n`)
      else if (!all.length) process.stdout.write('No named tokens. The token `opdesk serve` prints is the local operator\'s (admin).\n')
      else for (const t of all) process.stdout.write(`${pad(t.name, 24)} ${pad(t.role, 10)} created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}\n`)
      return 0
    }
    if (sub === 'revoke') {
      if (!namedTokens(core.ws).revoke(name!)) {
        process.stderr.write(`opdesk token: no token named "${name}"\n`)
        return 1
      }
      process.stdout.write(`Revoked "${name}"; requests with it are refused from now on.\n`)
      return 0
    }
    process.stderr.write(USAGE)
    return 2
  } catch (err) {
    if (err instanceof DomainError) {
      process.stderr.write(`opdesk token: ${err.message}\n`)
      return err.code === 'bad_request' ? 2 : 1
    }
    throw err
  } finally {
    await core.close()
  }
}
