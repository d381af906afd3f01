// Profiles and their login health: list, set a check, check now, log in now.
import type { ProfileService } from '../../profiles/service'
import type { RunService } from '../../runs/service'
import type { Handlers } from '../router'

export function profileHandlers(profiles: ProfileService, runs: RunService): Handlers {
  // A login run's takeover view is where the person goes next.
  const withTakeover = <T extends { id: string }>(run: T) => ({ ...run, takeoverUrl: runs.takeoverPath(run.id) })
  return {
    listProfiles: () => profiles.list(),
    getProfile: ({ params }) => profiles.get(params.name),
    putProfile: ({ body, actor }) => profiles.define(body.name, body.check, actor.name),
    checkProfile: ({ params, actor }) => profiles.check(params.name, actor.name),
    loginProfile: ({ params, actor }) => withTakeover(profiles.login(params.name, actor.name)),
  }
}
