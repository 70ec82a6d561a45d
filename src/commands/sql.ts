import { parseArgs } from 'node:util'
import { cloudTrailDdl } from '../core/sql/athenaDdl.js'
import type { DialectName } from '../core/sql/auditQuery.js'
import { athenaTarget } from './athenaTarget.js'
import { type Command, EXIT } from './io.js'
import { loadForCommand, RULE_OPTIONS, rulePaths } from './ruleOptions.js'
import { buildQuery, effectiveLists, SQL_OPTIONS } from './sqlOptions.js'

const OPTIONS = {
  ...RULE_OPTIONS,
  ...SQL_OPTIONS,
  'dialect': { type: 'string', value: 'athena|duckdb', default: 'athena', description: 'athena: the CloudTrail table (trailwarden sql --ddl); duckdb: a table or view with one JSON column, record' },
  'table': { type: 'string', value: 'NAME', description: 'the table to query (default: cloudtrail_logs on Athena, cloudtrail_records on DuckDB)' },
  'database': { type: 'string', value: 'NAME', description: 'Athena: the Glue database of the table (default: default)' },
  'per-rule': { type: 'boolean', description: 'one query per rule instead of one for the set (the set scans the table once)' },
  'explain': { type: 'boolean', description: 'list which rules compile and which are refused, with the field and the reason; no SQL' },
  'ddl': { type: 'boolean', description: 'print the Athena CREATE TABLE for CloudTrail with partition projection instead of a query' },
  'location': { type: 'string', value: 'S3URI', description: '--ddl: s3://bucket[/prefix] the trail writes to' },
  'organization-id': { type: 'string', value: 'o-…', description: '--ddl: an organisation trail\'s organisation id (its S3 layout adds it)' },
  'start': { type: 'string', value: 'yyyy/MM/dd', default: '2024/01/01', description: '--ddl: the first day of logs' },
} as const

/** `trailwarden sql`: the rules as SQL to read, review and paste into Athena, or the table to create first. */
export const sqlCommand: Command = {
  options: OPTIONS,
  summary: 'print the rules as SQL for Athena or DuckDB (or --ddl: the Athena CloudTrail table)',
  usage: 'trailwarden sql [--rule ID,…] [--dialect athena|duckdb] [--table NAME] [--since DATE] [--until DATE] [--accounts ID,…] [--regions R,…] [--per-rule] [--explain] | --ddl --location S3URI --accounts ID,… --regions R,… [--organization-id o-…]',
  notes: 'A rule SQL cannot express exactly (a regex on Athena, change.*, eventKey, a glob with more than *) is refused, never approximated: it is named on stderr with the field and the reason, and the exit code is 1.',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: OPTIONS })
    if (values.ddl) {
      const accounts = (values.accounts ?? '').split(',').filter((s) => /^\d{12}$/.test(s))
      const regions = (values.regions ?? '').split(',').filter((s) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(s))
      const location = values.location ?? ''
      if (!/^s3:\/\/[a-z0-9.-]{3,63}(\/[\w./-]*)?$/.test(location) || accounts.length === 0 || regions.length === 0 || !/^\d{4}\/\d{2}\/\d{2}$/.test(values.start)) {
        io.stderr.write('--ddl needs --location s3://bucket[/prefix], --accounts (12-digit ids), --regions (eu-west-1,…) and --start yyyy/MM/dd\n')
        return EXIT.usage
      }
      const org = values['organization-id']
      if (org !== undefined && !/^o-[a-z0-9]{10,32}$/.test(org)) {
        io.stderr.write('--organization-id: an organisation id looks like o-abc123def4\n')
        return EXIT.usage
      }
      const { database } = athenaTarget(values)
      const table = `${database}.${(values.table ?? 'cloudtrail_logs').toLowerCase()}`
      if (!/^[a-z0-9_]+\.[a-z0-9_]+$/.test(table)) {
        io.stderr.write('--database and --table take lower-case letters, digits and underscores\n')
        return EXIT.usage
      }
      io.stdout.write(cloudTrailDdl({ table, location, organizationId: org, accounts, regions, startDay: values.start }))
      return EXIT.ok
    }
    if (values.dialect !== 'athena' && values.dialect !== 'duckdb') {
      io.stderr.write(`--dialect ${values.dialect}: use athena or duckdb\n`)
      return EXIT.usage
    }
    const dialect: DialectName = values.dialect
    const bundle = await loadForCommand(values, io, io.now?.() ?? Date.now())
    if (!bundle?.ruleSet) return EXIT.usage
    const lists = await effectiveLists(rulePaths(values, io).rulesDir, bundle.config)
    const table = dialect === 'athena' ? athenaTarget(values).table : (values.table ?? 'cloudtrail_records')
    if (table === 'invalid' || !/^[\w".]+$/.test(table)) {
      io.stderr.write('--table and --database take letters, digits and underscores\n')
      return EXIT.usage
    }
    const query = buildQuery(values, bundle.ruleSet.rules, bundle.config, lists, { dialect, table, perRule: values['per-rule'] })
    if ('error' in query) {
      io.stderr.write(`${query.error}\n`)
      return EXIT.usage
    }
    for (const r of query.refused) io.stderr.write(`refused for SQL: ${r.rule.id}: ${r.field}: ${r.reason}\n`)
    if (values.explain) {
      io.stdout.write(`${query.compiled.length} rules compile to ${dialect} SQL; ${query.refused.length} refused\n`)
      for (const r of query.compiled) io.stdout.write(`  compiles: ${r.rule.id}\n`)
      for (const r of query.refused) io.stdout.write(`  refused:  ${r.rule.id}: ${r.field}: ${r.reason}\n`)
    } else {
      for (const s of query.statements) io.stdout.write(`-- trailwarden: ${s.rules.join(', ')}\n${s.sql};\n\n`)
    }
    return query.refused.length > 0 ? EXIT.findings : EXIT.ok
  },
}
