import { parseArgs } from 'node:util'
import { renderTextSafely } from '../core/alerts/renderSafely.js'
import { decideInto, type DecisionSet, emptyDecision } from '../core/decide/decide.js'
import { normalise } from '../core/intake/normalise.js'
import type { CloudTrailRecord } from '../core/intake/types.js'
import { createRuleSet } from '../core/rules/engine/ruleSet.js'
import { type AuditRow, csvHeader, csvLine, markdownHeader, markdownLine, matchesPerRule, textLine } from '../core/sql/formatRows.js'
import { activeSetOf } from '../daemon/activeSet.js'
import { runAthenaAudit, ATHENA_OPTIONS, athenaTarget } from './auditAthena.js'
import { cloudTrailFiles, DUCKDB_MISSING, loadDuckdb, runDuckdbAudit } from './auditDuckdb.js'
import { createAthenaClient } from './clients.js'
import { batchedWriter, type Command, EXIT } from './io.js'
import { loadForCommand, RULE_OPTIONS, rulePaths } from './ruleOptions.js'
import { buildQuery, effectiveLists, SQL_OPTIONS } from './sqlOptions.js'

const FORMATS = ['text', 'ndjson', 'csv', 'markdown'] as const
type Format = (typeof FORMATS)[number]

const OPTIONS = {
  ...RULE_OPTIONS,
  ...SQL_OPTIONS,
  ...ATHENA_OPTIONS,
  engine: { type: 'string', value: 'event-history|duckdb|athena', description: 'where the records are read: duckdb over the files given (default with paths), athena over the CloudTrail table, event-history (LookupEvents, default without paths)' },
  format: { type: 'string', value: 'text|ndjson|csv|markdown', default: 'text', description: 'text for people (duckdb: the alerts replay prints); ndjson, csv or markdown: one row per (event, rule)' },
} as const

/**
 * `trailwarden audit`: the rules, compiled to SQL (trailwarden sql), run where the records are. This dispatcher holds
 * the duckdb and athena engines; the event-history engine is #21's.
 */
export const auditCommand: Command = {
  options: OPTIONS,
  summary: 'run the rules over months of CloudTrail records as SQL: DuckDB over local log files, or Athena over the CloudTrail table',
  usage: 'trailwarden audit [PATH…] [--engine duckdb|athena] [--rule ID,…] [--since DATE] [--until DATE] [--accounts ID,…] [--regions R,…] [--format text|ndjson|csv|markdown] [--workgroup NAME] [--output-location S3URI] [--database DB] [--table NAME]',
  notes: 'Rules SQL cannot express exactly are refused and named on stderr (trailwarden sql --explain lists them); they still run in the daemon and in replay. A summary (matches per rule; on Athena the bytes scanned and the cost) goes to stderr. Exit 1 when a rule matched.',
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
    const engine = values.engine ?? (positionals.length > 0 ? 'duckdb' : 'event-history')
    const format = values.format as Format
    if (!FORMATS.includes(format)) {
      io.stderr.write(`--format ${format}: use ${FORMATS.join(', ')}\n`)
      return EXIT.usage
    }
    if (engine === 'event-history') {
      io.stderr.write('--engine event-history is not part of this build (issue #21); give CloudTrail files for duckdb, or --engine athena\n')
      return EXIT.usage
    }
    if (engine !== 'duckdb' && engine !== 'athena') {
      io.stderr.write(`--engine ${engine}: use event-history, duckdb or athena\n`)
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
    const target = engine === 'athena' ? athenaTarget(values, io.env) : { dialect: 'duckdb' as const, table: 'cloudtrail_records' }
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
      const files = await cloudTrailFiles(positionals)
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
  },
}
