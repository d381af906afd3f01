import { call } from '../api/client'
import { createResource } from './resource'

export const schedules = createResource(() => call('listSchedules'))
export const useSchedules = schedules.use
