// Whether we may talk to the core at all (token), and how the live stream is doing.
import { create } from 'zustand'
import type { StreamStatus } from '../api/stream'

export interface ConnectionState {
  auth: 'unknown' | 'ok' | 'unauthorized'
  stream: StreamStatus | 'off'
}

export const useConnection = create<ConnectionState>(() => ({ auth: 'unknown', stream: 'off' }))

export const markUnauthorized = () => useConnection.setState({ auth: 'unauthorized' })
export const markAuthorized = () => useConnection.setState({ auth: 'ok' })
export const setStreamStatus = (stream: ConnectionState['stream']) => useConnection.setState({ stream })
