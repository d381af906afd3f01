// Flow health and failure patterns. Both are read-only summaries of the run history, so
// they refresh when a run changes (the live store calls refreshIfUsed) and never poll.
import { call } from '../api/client'
import { createResource } from './resource'

export const flowStats = createResource(() => call('flowAnalytics'))
export const failureStats = createResource(() => call('failureAnalytics'))
