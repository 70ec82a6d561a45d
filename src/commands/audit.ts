import { parseArgs } from 'node:util'
import { ALERT_FORMATS, isAlertFormat } from './alertOutput.js'
import { SQL_AUDIT_OPTIONS } from './auditSql.js'

const SQL_AUDIT_OPTIONS_BUT_REGIONS = Object.fromEntries(Object.entries(SQL_AUDIT_OPTIONS).filter(([name]) => name !== 'regions')) as Omit<typeof SQL_AUDIT_OPTIONS, 'regions'>
import { EVENT_HISTORY_OPTIONS } from './eventHistoryOptions.js'
import { type Command, EXIT, type OptionSpec } from './io.js'
import { RULE_OPTIONS } from './ruleOptions.js'

/** Where `audit` reads the past from. */
export const AUDIT_ENGINES = ['event-history', 'duckdb', 'athena'] as const

const OPTIONS = {
  'engine': { type: 'string', value: 'event-history|duckdb|athena', description: 'event-history: CloudTrail Event history through LookupEvents (90 days, no trail needed); duckdb: archive files and folders; athena: the CloudTrail table. Default: duckdb when paths are given, else event-history' },
  ...SQL_AUDIT_OPTIONS_BUT_REGIONS,
  ...EVENT_HISTORY_OPTIONS,
  // One spelling for every engine (sql's --regions is the SQL engines' filter here).
  'region': { type: 'string', value: 'LIST|all', description: `${EVENT_HISTORY_OPTIONS.region.description}. With duckdb or athena: only records of these regions (on Athena, the region partition); all or absent: every region` },
  ...RULE_OPTIONS,
  'rule': { type: 'string', value: 'ID', description: 'this rule only (and only its exceptions)' },
  'format': { type: 'string', value: ALERT_FORMATS.join('|'), default: 'text', description: 'text for people; markdown (counts and an alert table) for a ticket; csv for a spreadsheet; json or ndjson for tools. The summary goes to stderr' },
  'slack': { type: 'boolean', description: 'ALSO POST every alert found to the live Slack channels of the config (needs SLACK_BOT_TOKEN and --confirm-slack): these are historical events' },
  'confirm-slack': { type: 'boolean', description: 'confirms --slack: yes, post historical alerts to the live channels' },
} as const satisfies Record<string, OptionSpec>

/**
 * `trailwarden audit`: the rules over the past, from the engine that holds it. A thin dispatcher: each engine lives in
 * its own file (auditEventHistory.ts) and shares the output formats (alertOutput.ts).
 */
export const auditCommand: Command = {
  options: OPTIONS,
  summary: 'run the rules over the past: CloudTrail Event history (the last 90 days, every region asked), archives or Athena',
  usage: 'trailwarden audit [PATH…] [--engine event-history|duckdb|athena] [--region LIST|all] [--since 30d|DATE] [--until WHEN] [--rule ID] [--format text|json|ndjson|markdown|csv] [--slack --confirm-slack] [--accounts ID,…] [--workgroup NAME] [--output-location S3URI] [--database DB] [--table NAME] [--rules DIR] [--config FILE]',
  notes: [
    'Event history allows 2 LookupEvents calls a second per account and region: regions are read in parallel, each at that rate (50 events a call), throttling retried with backoff. A progress line shows on a terminal.',
    'Alerts are printed oldest first, all regions merged. An event whose CloudTrailEvent cannot be read is counted and named by its EventId (exit 1). Missing or expired credentials, or a missing cloudtrail:LookupEvents permission, exit 2 saying what to set. Ctrl-C (or an error mid-way) prints what was read, marked INCOMPLETE, and exits 2.',
    'duckdb and athena: the rules compiled to SQL (trailwarden sql); a rule SQL cannot express exactly is refused and named on stderr (it still runs in the daemon and in replay); --since/--until take dates there; the summary (matches per rule; on Athena the bytes scanned and the cost) goes to stderr; exit 1 when a rule matched.',
    'Examples: trailwarden audit --region eu-west-1,us-east-1 --since 30d --format markdown; trailwarden audit ./AWSLogs --rule ecs-console-change-in-prod; trailwarden audit --engine athena --workgroup trailwarden-audit --since 2026-01-01',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
    const engine = values.engine ?? (positionals.length > 0 ? 'duckdb' : 'event-history')
    if (!isAlertFormat(values.format)) {
      io.stderr.write(`--format ${values.format}: use ${ALERT_FORMATS.join(', ')}\n`)
      return EXIT.usage
    }
    switch (engine) {
      case 'event-history':
        if (positionals.length > 0) {
          io.stderr.write(`--engine event-history reads CloudTrail's Event history, not files (${positionals[0] ?? ''}): drop the paths, or use --engine duckdb\n`)
          return EXIT.usage
        }
        // Each engine is loaded when chosen: Event history needs the CloudTrail client, DuckDB none of the SDK.
        return (await import('./auditEventHistory.js')).auditEventHistory(values, values.format, io)
      case 'duckdb':
      case 'athena':
        return (await import('./auditSql.js')).auditWithSql(engine, { ...values, regions: values.region === 'all' ? undefined : values.region }, positionals, values.format, io)
      default:
        io.stderr.write(`--engine ${engine}: use ${AUDIT_ENGINES.join(', ')}\n`)
        return EXIT.usage
    }
  },
}
