import type { ScheduleService } from '../../schedules/service'
import type { Handlers } from '../router'

export function scheduleHandlers(schedules: ScheduleService): Handlers {
  return {
    listSchedules: () => schedules.list(),
    getSchedule: ({ params }) => schedules.get(params.id),
    createSchedule: ({ body, actor }) => schedules.create(body, actor.name),
    updateSchedule: ({ params, body, actor }) => schedules.update(params.id, body, actor.name),
    deleteSchedule: ({ params, actor }) => schedules.delete(params.id, actor.name),
  }
}
