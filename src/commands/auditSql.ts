import { renderTextSafely } from '../core/alerts/renderSafely.js'
import { decideInto, type DecisionSet, emptyDecision } from '../core/decide/decide.js'
import { normalise } from '../core/intake/normalise.js'
import type { CloudTrailRecord } from '../core/intake/types.js'
import { createRuleSet } from '../core/rules/engine/ruleSet.js'
import { type AuditRow, csvHeader, csvLine, markdownHeader, markdownLine, matchesPerRule, textLine } from '../core/sql/formatRows.js'
import { activeSetOf } from '../daemon/activeSet.js'
import { FileReadError } from '../errors.js'
import { ATHENA_OPTIONS, athenaTarget } from './athenaTarget.js'
import { cloudTrailFiles, DUCKDB_MISSING, loadDuckdb, runDuckdbAudit } from './auditDuckdb.js'
import { batchedWriter, type CommandIO, EXIT, type OptionSpec } from './io.js'
import { loadForCommand, RULE_OPTIONS, rulePaths } from './ruleOptions.js'
import { buildQuery, effectiveLists, SQL_OPTIONS } from './sqlOptions.js'

/** The formats the SQL engines print: what replay prints (text), or one row per (event, rule). */
export const SQL_AUDIT_FORMATS = ['text', 'ndjson', 'csv', 'markdown'] as const

/** The options only the SQL engines read (audit.ts merges them with the others). */
export const SQL_AUDIT_OPTIONS = {
  ...RULE_OPTIONS,
  ...SQL_OPTIONS,
  ...ATHENA_OPTIONS,
} as const satisfies Record<string, OptionSpec>

type Values = { [K in keyof typeof SQL_AUDIT_OPTIONS]?: string | undefined }

/**
 * `trailwarden audit --engine duckdb|athena`: the rules compiled to SQL (trailwarden sql), run where the records are —
 * DuckDB over local files, Athena over the CloudTrail table.
 */
export async function auditWithSql(engine: 'duckdb' | 'athena', values: Values, positionals: string[], format: string, io: CommandIO): Promise<number> {
  if (!(SQL_AUDIT_FORMATS as readonly string[]).includes(format)) {
    io.stderr.write(`--format ${format}: --engine ${engine} prints ${SQL_AUDIT_FORMATS.join(', ')}\n`)
    return EXIT.usage
  }
  if (engine === 'duckdb' && positionals.length === 0) {
    io.stderr.write('--engine duckdb reads CloudTrail log files: give a folder or files\n')
    return EXIT.usage
  }
  const bundle = await loadForCommand(values, io, io.now?.() ?? Date.now())
  if (!bundle?.ruleSet) return EXIT.usage
  const { ruleSet, config, settings } = bundle
  const lists = await effectiveLists(rulePaths(values, io).rulesDir, config)
  // CSV and Markdown print the row's columns only; text and NDJSON render the alert from the record DuckDB returns.
  const target = engine === 'athena' ? athenaTarget(values, io.env) : { dialect: 'duckdb' as const, table: 'cloudtrail_records', record: format === 'text' || format === 'ndjson' }
  const query = buildQuery(values, ruleSet.rules, config, lists, target)
  if ('error' in query) {
    io.stderr.write(`${query.error}\n`)
    return EXIT.usage
  }
  for (const r of query.refused) io.stderr.write(`refused for SQL: ${r.rule.id}: ${r.field}: ${r.reason}\n`)
  if (query.compiled.length === 0) {
    io.stderr.write('no rule to run as SQL\n')
    return EXIT.usage
  }

  const out = batchedWriter(io.stdout)
  const rows: AuditRow[] = []
  if (format === 'csv') out.write(csvHeader())
  if (format === 'markdown') out.write(markdownHeader())
  // DuckDB returns the record too: the alert is rendered by the engine, exactly as replay prints it.
  const decisionSets = new Map<string, DecisionSet>()
  const decisionFor = (ruleId: string): DecisionSet | undefined => {
    const rule = ruleSet.rules.find((r) => r.id === ruleId)
    if (!rule) return undefined
    let set = decisionSets.get(ruleId)
    if (!set) decisionSets.set(ruleId, (set = activeSetOf(createRuleSet([rule], ruleSet.hash), config, settings).decision))
    return set
  }
  const onRow = (row: AuditRow & { record?: string }) => {
    const { record, ...plain } = row
    rows.push(plain)
    if (format === 'csv' || format === 'markdown') {
      out.write(format === 'csv' ? csvLine(plain) : markdownLine(plain))
      return
    }
    const set = record === undefined ? undefined : decisionFor(plain.rule_id ?? '')
    let alert
    if (set && record !== undefined) {
      const decision = emptyDecision()
      const parsed = JSON.parse(record) as CloudTrailRecord
      decideInto(decision, normalise({ record: parsed, shape: 's3-log-file' }, settings), set, { now: Date.now(), judgeAt: (e) => Date.parse(e.record.eventTime) })
      alert = decision.alerts.find((a) => a.alert.ruleId === plain.rule_id)
    }
    if (format === 'ndjson') out.write(`${JSON.stringify(alert?.alert ?? plain)}\n`)
    else out.write(alert ? renderTextSafely(alert.alert, alert.targets.map((t) => t.channel)) : textLine(plain))
  }

  let footer: string
  if (engine === 'duckdb') {
    const duckdb = await loadDuckdb()
    if (!duckdb) {
      io.stderr.write(`${DUCKDB_MISSING}\n`)
      return EXIT.usage
    }
    let files: string[]
    try {
      files = await cloudTrailFiles(positionals)
    } catch (err) {
      // A path that is missing or unreadable is the user's to fix: named, with the reason, exit 2 — never a stack.
      const path = (err as { path?: unknown }).path
      io.stderr.write(`${FileReadError.from(typeof path === 'string' ? path : positionals.join(', '), err).message}\n`)
      return EXIT.usage
    }
    if (files.length === 0) {
      io.stderr.write(`no CloudTrail log files (.json.gz or .json) under ${positionals.join(', ')}\n`)
      return EXIT.usage
    }
    const started = Date.now()
    await runDuckdbAudit(duckdb, files, query, onRow)
    footer = `duckdb: ${files.length} files, ${query.compiled.length} rules as SQL${query.refused.length > 0 ? ` (${query.refused.length} refused)` : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`
  } else {
    const athena = athenaTarget(values, io.env)
    // Ctrl-C stops the running query (StopQueryExecution) instead of leaving it to run, and bill, to its end.
    const abort = new AbortController()
    const stop = () => {
      abort.abort()
    }
    process.once('SIGINT', stop)
    let outcome
    try {
      // Loaded here: the AWS SDK is no part of a DuckDB audit.
      const [{ createAthenaClient }, { runAthenaAudit }] = await Promise.all([import('./clients.js'), import('./auditAthena.js')])
      outcome = await runAthenaAudit(createAthenaClient(io.env), query, athena, onRow, io.stderr, abort.signal)
    } finally {
      process.removeListener('SIGINT', stop)
    }
    if ('error' in outcome) {
      out.flush()
      io.stderr.write(`${outcome.error}\n`)
      return EXIT.usage
    }
    footer = outcome.summary
  }
  out.flush()
  io.stderr.write(matchesPerRule(rows) + footer)
  return rows.length > 0 ? EXIT.findings : EXIT.ok
}
