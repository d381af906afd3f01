import { call } from '../api/client'
import { createResource } from './resource'

export const flows = createResource(() => call('listFlows'))
export const useFlows = flows.use
