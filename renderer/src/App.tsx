// The shell: checks the token once, then shows navigation and the current view, and keeps
// the stores fresh from the live stream while the operator is signed in.
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import { call, errorMessage } from './api/client'
import { Nav } from './components/Nav'
import { NeedsYou } from './components/NeedsYou'
import { Notices } from './components/Notices'
import { ShortcutsDialog } from './components/ShortcutsDialog'
import { useShortcuts } from './lib/shortcuts'
import { ErrorMsg, Loading } from './components/Status'
import { ThemeToggle } from './components/ThemeToggle'
import { useRoute, type Route } from './lib/route'
import { alerts } from './stores/alerts'
import { openLauncher } from './stores/launcher'
import { markAuthorized, useConnection } from './stores/connection'
import { startLive } from './stores/live'
import { summary } from './stores/summary'
import { loadTracks } from './stores/tracks'
import { ExecutionView } from './views/execution/ExecutionView'
import { RunsView } from './views/runs/RunsView'
import { RunDetailView } from './views/runs/RunDetailView'
import { TraceReplayView } from './views/runs/TraceReplayView'
import { TakeoverView } from './views/takeover/TakeoverView'
import { AlertsView } from './views/other/AlertsView'
import { ApprovalsView } from './views/other/ApprovalsView'
import { FlowsView } from './views/other/FlowsView'
import { NewRunDialog } from './views/launcher/NewRunDialog'
import { SchedulesView } from './views/schedules/SchedulesView'
import { ProfilesView } from './views/other/ProfilesView'
import { Unauthorized } from './views/other/Unauthorized'

// The chart library is the largest dependency and only Analytics needs it: load it on demand
// so the first paint of every other view does not wait for it.
const AnalyticsView = lazy(() => import('./views/analytics/AnalyticsView'))
// Settings checks values with the core's own zod schemas before saving; loading it on demand
// keeps zod out of the first paint.
const SettingsView = lazy(() => import('./views/settings/SettingsView').then((m) => ({ default: m.SettingsView })))

function View({ route }: { route: Route }) {
  switch (route.name) {
    case 'execution':
      return <ExecutionView />
    case 'runs':
      return <RunsView filter={route.filter} />
    case 'run':
      return <RunDetailView runId={route.id} />
    case 'takeover':
      return <TakeoverView runId={route.runId} />
    case 'trace':
      return <TraceReplayView key={`${route.runId}:${route.step}`} runId={route.runId} step={route.step} />
    case 'approvals':
      return <ApprovalsView />
    case 'alerts':
      return <AlertsView />
    case 'flows':
      return <FlowsView flowId={route.id} />
    case 'schedules':
      return <SchedulesView />
    case 'profiles':
      return <ProfilesView />
    case 'analytics':
      return (
        <Suspense fallback={<Loading what="analytics" />}>
          <AnalyticsView />
        </Suspense>
      )
    case 'settings':
      return (
        <Suspense fallback={<Loading what="settings" />}>
          <SettingsView />
        </Suspense>
      )
  }
}

export function App() {
  const auth = useConnection((s) => s.auth)
  const [bootError, setBootError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let cancelled = false
    call('health')
      .then(() => !cancelled && markAuthorized())
      .catch((e: unknown) => {
        // A 401 already flipped the connection store to "unauthorized" (client hook).
        if (!cancelled && useConnection.getState().auth !== 'unauthorized') setBootError(errorMessage(e))
      })
    return () => {
      cancelled = true
    }
  }, [attempt])

  useEffect(() => {
    if (auth !== 'ok') return
    void summary.load()
    void loadTracks()
    void alerts.load() // the navigation badge needs the open count on every view
    return startLive()
  }, [auth])

  if (auth === 'unauthorized') return <Unauthorized />
  if (auth === 'unknown') {
    return (
      <main className="boot">
        {bootError ? (
          <ErrorMsg
            message={bootError}
            onRetry={() => {
              setBootError(null)
              setAttempt((n) => n + 1)
            }}
          />
        ) : (
          <Loading what="Opdesk" />
        )}
      </main>
    )
  }
  return <Shell />
}

const STREAM_LABEL = { open: 'Live', connecting: 'Connecting…', retrying: 'Reconnecting…', off: 'Offline' } as const

function Shell() {
  const route = useRoute()
  const stream = useConnection((s) => s.stream)
  const mainRef = useRef<HTMLElement>(null)
  const first = useRef(true)
  const [help, setHelp] = useState(false)
  useShortcuts(useCallback(() => setHelp(true), []))
  const viewKey =
    route.name === 'run'
      ? `run:${route.id}`
      : route.name === 'takeover' || route.name === 'trace'
        ? `${route.name}:${route.runId}`
        : route.name

  // Move focus to the new view's heading so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    // A view loaded on demand (Settings, Analytics) draws its heading a moment later.
    const until = Date.now() + 3_000
    let frame = 0
    const focusHeading = () => {
      const h1 = mainRef.current?.querySelector<HTMLElement>('h1')
      if (h1) h1.focus()
      else if (Date.now() < until) frame = requestAnimationFrame(focusHeading)
    }
    focusHeading()
    return () => cancelAnimationFrame(frame)
  }, [viewKey])

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Opdesk</span>
        <button type="button" className="small" data-testid="new-run-open" onClick={() => openLauncher()}>
          New run
        </button>
        <NeedsYou />
        <span className={`stream stream-${stream}`} role="status">
          {STREAM_LABEL[stream]}
        </span>
        <button
          type="button"
          className="ghost small"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          data-testid="shortcuts-button"
          onClick={() => setHelp(true)}
        >
          <kbd aria-hidden="true">?</kbd>
        </button>
        <ThemeToggle />
      </header>
      <Nav route={route} />
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <View route={route} />
      </main>
      <NewRunDialog />
      <Notices />
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  )
}
