import { csvLine } from '../report/csvLine.js'
import { markdownTable } from '../report/markdownTable.js'
import { textTable } from '../report/textTable.js'
import type { HistoryRow } from './historyRow.js'

export type HistoryFormat = 'table' | 'markdown' | 'csv'
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['table', 'markdown', 'csv']

const COLUMNS = ['time', 'region', 'service or task definition', 'call', 'actor', 'how', 'what changed', 'source IP'] as const
const cells = (r: HistoryRow) => [r.time, r.region, r.service, r.eventName, r.actor, r.how, r.change, r.sourceIp]

/**
 * The history as a terminal table, a Markdown table (a ticket, a pull request) or CSV (a spreadsheet: every field, the
 * event id and account too). Every cell is event-derived and escaped for its format. Pure.
 */
export function historyReport(rows: readonly HistoryRow[], format: HistoryFormat): string {
  switch (format) {
    case 'csv':
      return [csvLine([...COLUMNS, 'account', 'event id', 'error code']), ...rows.map((r) => csvLine([...cells(r), r.account, r.eventId, r.errorCode ?? '']))].join('')
    case 'markdown':
      return markdownTable(COLUMNS, rows.map(cells))
    case 'table':
      return textTable(COLUMNS, rows.map(cells), 160)
  }
}
