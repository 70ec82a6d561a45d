import { RESULT_COLUMNS } from './auditQuery.js'

export type AuditRow = Partial<Record<(typeof RESULT_COLUMNS)[number], string | null>>

const cell = (v: string | null | undefined) => v ?? ''

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)

export const csvHeader = (): string => `${RESULT_COLUMNS.join(',')}\n`
export const csvLine = (row: AuditRow): string => `${RESULT_COLUMNS.map((c) => csvField(cell(row[c]))).join(',')}\n`

/** A Markdown table cell: pipes escaped, line breaks and backticks flattened (values come from events: untrusted). */
const mdField = (v: string) => v.replace(/[\r\n]+/g, ' ').replaceAll('|', '\\|').replaceAll('`', '\'')

export const markdownHeader = (): string => `| ${RESULT_COLUMNS.join(' | ')} |\n|${RESULT_COLUMNS.map(() => ' --- |').join('')}\n`
export const markdownLine = (row: AuditRow): string => `| ${RESULT_COLUMNS.map((c) => mdField(cell(row[c]))).join(' | ')} |\n`

/** A plain text line for people: when, which rule, who, what, where. Control characters are shown escaped. */
const plain = (v: string) => v.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
export const textLine = (row: AuditRow): string =>
  `${plain(cell(row.event_time))}  ${plain(cell(row.rule_id))} [${plain(cell(row.severity))}]  ${plain(cell(row.event_name))}  by ${plain(cell(row.actor_arn) || cell(row.actor_name) || 'unknown')}  in ${plain(cell(row.account))}/${plain(cell(row.region))}${row.ecs_cluster ? `  cluster ${plain(row.ecs_cluster)}` : ''}${row.ecs_service ? `  service ${plain(row.ecs_service)}` : ''}  (${plain(cell(row.event_id))})\n`

/** Matches per rule, most first: the summary's table. */
export function matchesPerRule(rows: readonly AuditRow[]): string {
  const counts = new Map<string, number>()
  for (const r of rows) counts.set(cell(r.rule_id), (counts.get(cell(r.rule_id)) ?? 0) + 1)
  if (counts.size === 0) return 'no rule matched\n'
  return `matches per rule:\n${[...counts].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `  ${rule}: ${n}`).join('\n')}\n`
}
