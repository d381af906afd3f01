export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void
  warn(msg: string, data?: Record<string, unknown>): void
  error(msg: string, data?: Record<string, unknown>): void
}

/** Plain stderr logger; shells may pass their own. Never give it secret values. */
export function consoleLogger(prefix = 'opdesk'): Logger {
  const line = (level: string, msg: string, data?: Record<string, unknown>) =>
    process.stderr.write(`${new Date().toISOString()} ${prefix} ${level} ${msg}${data ? ' ' + JSON.stringify(data) : ''}\n`)
  return {
    info: (m, d) => line('info', m, d),
    warn: (m, d) => line('warn', m, d),
    error: (m, d) => line('error', m, d),
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
