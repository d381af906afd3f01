import { href, type Route } from '../lib/route'
import { selectOpenAlertCount, useAlerts } from '../stores/alerts'

const ITEMS = [
  { key: 'execution', label: 'Execution', href: href.execution },
  { key: 'runs', label: 'Runs', href: href.runs },
  { key: 'approvals', label: 'Approvals', href: href.approvals },
  { key: 'alerts', label: 'Alerts', href: href.alerts },
  { key: 'flows', label: 'Flows', href: href.flows },
  { key: 'schedules', label: 'Schedules', href: href.schedules },
  { key: 'profiles', label: 'Profiles', href: href.profiles },
  { key: 'analytics', label: 'Analytics', href: href.analytics },
  { key: 'settings', label: 'Settings', href: href.settings },
] as const

function section(route: Route): string {
  if (route.name === 'run' || route.name === 'takeover' || route.name === 'trace') return 'runs'
  return route.name
}

export function Nav({ route }: { route: Route }) {
  const openAlerts = useAlerts(selectOpenAlertCount)
  const current = section(route)
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {ITEMS.map((item) => (
          <li key={item.key}>
            <a href={item.href} aria-current={current === item.key ? 'page' : undefined}>
              <span>{item.label}</span>
              {item.key === 'alerts' && openAlerts > 0 && (
                <span className="nav-badge" data-testid="alerts-badge">
                  {openAlerts}
                  <span className="visually-hidden"> open</span>
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
