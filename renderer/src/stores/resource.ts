// One small pattern for every list the app shows: load once, refresh in place (keep the
// old data on screen so a refresh never blanks the view), coalesce overlapping loads.
import { create, type StoreApi, type UseBoundStore } from 'zustand'
import { errorMessage, isNotAvailable } from '../api/client'

/** `unavailable`: the route answers "not available in this build" (backend not shipped yet). */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error' | 'unavailable'

export interface ResourceState<T> {
  data: T | null
  status: LoadStatus
  error: string | null
}

export interface Resource<T> {
  use: UseBoundStore<StoreApi<ResourceState<T>>>
  load(): Promise<void>
  /** Loads only if something on screen has asked for it before (the stream calls this). */
  refreshIfUsed(): Promise<void>
  reset(): void
}

export function createResource<T>(fetcher: () => Promise<T>): Resource<T> {
  const initial: ResourceState<T> = { data: null, status: 'idle', error: null }
  const use = create<ResourceState<T>>(() => initial)
  let inflight: Promise<void> | null = null
  let again = false
  let generation = 0

  async function run(gen: number): Promise<void> {
    do {
      again = false
      try {
        const data = await fetcher()
        if (gen !== generation) return
        use.setState({ data, status: 'ready', error: null })
      } catch (e) {
        if (gen !== generation) return
        if (isNotAvailable(e)) use.setState({ status: 'unavailable', error: errorMessage(e) })
        // Keep stale data visible; the error is shown beside it.
        else use.setState((s) => ({ status: s.data === null ? 'error' : s.status, error: errorMessage(e) }))
      }
    } while (again && gen === generation)
  }

  function load(): Promise<void> {
    if (inflight) {
      // A change arrived while we were fetching: fetch once more after, not in parallel.
      again = true
      return inflight
    }
    if (use.getState().status === 'idle') use.setState({ status: 'loading' })
    const gen = generation
    inflight = run(gen).finally(() => {
      inflight = null
    })
    return inflight
  }

  return {
    use,
    load,
    refreshIfUsed: () => (use.getState().status === 'idle' ? Promise.resolve() : load()),
    reset() {
      generation++
      inflight = null
      use.setState(initial, true)
    },
  }
}
