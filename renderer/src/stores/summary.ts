import { call } from '../api/client'
import { createResource } from './resource'

export const summary = createResource(() => call('summary'))
export const useSummary = summary.use
