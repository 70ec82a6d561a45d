import type { Alert } from '../core/alerts/alert.js'
import { renderTextSafely } from '../core/alerts/renderSafely.js'
import type { AlertSink } from './alertSink.js'

/**
 * Alerts on standard output, for the demo, replay and --dry-run: readable in a terminal, JSON lines otherwise
 * (one object per alert and channel, for jq or a log pipeline).
 */
export function createStdoutSink(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout, { json = !out.isTTY } = {}): AlertSink {
  return {
    name: 'stdout',
    deliver(alert: Alert, target) {
      out.write(json ? `${JSON.stringify({ type: 'alert', channel: target.channel, ...alert })}\n` : renderTextSafely(alert, [target.channel]))
      return Promise.resolve({ status: 'posted', channel: target.channel })
    },
    close: () => Promise.resolve(),
  }
}
