import type { ReplaySummary } from '../core/replay/replaySummary.js'
import { formatSummary } from '../core/replay/replaySummary.js'
import { renderTextSafely } from '../core/alerts/renderSafely.js'
import { alertsCsv, alertsMarkdown, type ReportedAlert } from '../core/report/alertReport.js'
import { markdownCell } from '../core/report/markdownTable.js'
import { batchedWriter, type CommandIO } from './io.js'

/**
 * The formats of the verbs that report alerts found in the past: text (replay's rendering of each alert), json (one
 * document with the summary), ndjson (one alert a line), markdown (counts per rule and an alert table) and csv (one
 * row an alert). Shared by `audit`'s engines so each prints the same way; replay's text, json and ndjson are these.
 */
export const ALERT_FORMATS = ['text', 'json', 'ndjson', 'markdown', 'csv'] as const
export type AlertFormat = (typeof ALERT_FORMATS)[number]

export const isAlertFormat = (f: string): f is AlertFormat => (ALERT_FORMATS as readonly string[]).includes(f)

/**
 * Alerts (already in the order to print) and the summary. The summary goes to stderr, so stdout stays the document
 * (json carries it inside, markdown has its own counts), `header` replacing its first line; `notes` (unreadable
 * events, incomplete regions) go to stderr after it, where a reader of the terminal sees them last.
 */
export function writeAlertReport(
  io: CommandIO,
  format: AlertFormat,
  alerts: readonly ReportedAlert[],
  summary: ReplaySummary,
  options: { title: string, header: string, notes: readonly string[] },
): void {
  const out = batchedWriter(io.stdout)
  switch (format) {
    case 'json':
      out.write(`${JSON.stringify({ alerts: alerts.map((a) => a.alert), summary, notes: options.notes }, null, 2)}\n`)
      break
    case 'ndjson':
      for (const a of alerts) out.write(`${JSON.stringify(a.alert)}\n`)
      break
    case 'markdown':
      out.write(alertsMarkdown(options.title, alerts, summary))
      if (options.notes.length > 0) out.write(`\n${options.notes.map((n) => `> ${markdownCell(n, 2000)}`).join('\n')}\n`)
      break
    case 'csv':
      out.write(alertsCsv(alerts))
      break
    case 'text':
      for (const a of alerts) out.write(renderTextSafely(a.alert, a.channels))
      break
  }
  out.flush()
  if (format !== 'json') io.stderr.write(formatSummary(summary, options.header))
  for (const n of options.notes) io.stderr.write(`${n}\n`)
}
