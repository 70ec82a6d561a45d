import type { CompiledRule } from '../rules/engine/compileRule.js'
import type { Lists } from '../rules/pattern/operators.js'
import type { NormaliseOptions } from '../intake/settings.js'
import { DERIVED, type DeriveContext } from './derivedColumns.js'
import { athenaDialect } from './athenaDialect.js'
import { duckdbDialect } from './duckdbDialect.js'
import { isRefusal, type RuleRefusal, ruleSql, type RuleSql } from './ruleSql.js'
import type { SqlDialect } from './sqlDialect.js'
import { and, quote } from './sqlText.js'

export type DialectName = 'duckdb' | 'athena'
export const DIALECTS: Record<DialectName, SqlDialect> = { duckdb: duckdbDialect, athena: athenaDialect }

export interface AuditQueryOptions {
  dialect: DialectName
  /** The table (Athena) or view (DuckDB) of records. DuckDB's holds one JSON column, `record`. */
  table: string
  lists: Lists
  settings: NormaliseOptions
  /** ISO dates or times; eventTime is compared as text (CloudTrail writes 2026-11-01T12:00:00Z). */
  since?: string
  until?: string
  accounts?: string[]
  regions?: string[]
  /** One query for the set (default) or one per rule. */
  perRule?: boolean
  /**
   * DuckDB: each row also carries its record's JSON text (`record`), from which audit renders the alert (default). Off
   * when only the columns are printed (CSV, Markdown): copying every matched record out of DuckDB costs time.
   */
  record?: boolean
}

/** The columns each result row carries, in order: what audit prints and the Athena double returns. */
export const RESULT_COLUMNS = ['rule_id', 'severity', 'event_id', 'event_time', 'event_source', 'event_name', 'account', 'region', 'actor_arn', 'actor_name', 'ecs_cluster', 'ecs_service'] as const
const RESULT_SOURCES: Record<(typeof RESULT_COLUMNS)[number], string | undefined> = {
  rule_id: undefined,
  severity: undefined,
  event_id: 'tw_event_id',
  event_time: 'tw_event_time',
  event_source: 'tw_event_source',
  event_name: 'tw_event_name',
  account: 'tw_account',
  region: 'tw_region',
  actor_arn: 'tw_ui_arn',
  actor_name: 'tw_actor_name',
  ecs_cluster: 'tw_ecs_cluster',
  ecs_service: 'tw_ecs_service',
}

export interface AuditQuery {
  /** One statement, or one per rule (perRule). */
  statements: Array<{ rules: string[], sql: string }>
  compiled: RuleSql[]
  refused: RuleRefusal[]
}

/** A JSON path column of the DuckDB record: json_extract(record, '$."a"."b"'). */
const RECORD_PATH = /^json_extract\(record, ('\$(?:\."[^"]*")+')\)$/

/**
 * A member path as a JSON Pointer (/a/b), which DuckDB looks up in about two thirds of the time of the JSONPath
 * $."a"."b" (bench P8: 29 paths of 116,000 records, 0.45–0.56 s against 0.65–0.9 s). The two differ on one kind of
 * key: a pointer's all-digit (or `-`) segment also indexes an array, where `$."0"` on an array is NULL
 * (https://duckdb.org/docs/stable/data/json/json_functions, RFC 6901), so such a path stays JSONPath. `~` and `/` in
 * a key are escaped as RFC 6901 says; an empty key, which DuckDB's JSONPath cannot name at all, is a pointer's `/`.
 */
export function memberPointer(jsonPath: string): string {
  const keys = [...jsonPath.matchAll(/\."([^"]*)"/g)].map((m) => m[1] ?? '')
  if (keys.some((k) => k === '-' || /^[0-9]+$/.test(k))) return jsonPath
  return keys.map((k) => `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

/**
 * The record's JSON paths as DuckDB columns, the document parsed once for all of them rather than once a path: DuckDB
 * parses a JSON value again for each json_extract, and json_extract takes a list of paths
 * (https://duckdb.org/docs/stable/data/json/json_functions). Path N is the column tw_jN.
 */
export function duckdbPathLevels(paths: ReadonlyMap<string, string>): string[][] {
  if (paths.size === 0) return []
  const list = `[${[...paths.keys()].map((e) => {
    const m = RECORD_PATH.exec(e)
    if (!m?.[1]) throw new Error(`not a record path: ${e}`)
    return quote(memberPointer(m[1].slice(1, -1).replaceAll('\'\'', '\'')))
  }).join(', ')}]`
  return [
    [`json_extract(record, ${list}) AS tw_paths`],
    [...paths.values()].map((name, i) => `tw_paths[${i + 1}] AS ${name}`),
  ]
}

/**
 * The path columns the rest of the query reads. Reading a nested field registers its parents' paths too (userIdentity
 * for userIdentity.arn), and DuckDB serialises every path of the one json_extract list for every record — whole
 * subtrees like requestParameters — whether or not a column reads it; its optimiser cannot drop a list element. (Athena
 * gets one column a path, which Trino prunes itself.)
 */
function referenced(paths: ReadonlyMap<string, string>, sql: readonly string[]): Map<string, string> {
  const text = sql.join('\n')
  return new Map([...paths].filter(([, name]) => new RegExp(`\\b${name}\\b`).test(text)))
}

/** yyyy/MM/dd of a date, for the `timestamp` partition (CloudTrail's S3 layout, projected). */
const partitionDay = (iso: string): string => iso.slice(0, 10).replaceAll('-', '/')

/** Derived columns ordered so each comes after those it reads, grouped in levels (one CTE each). */
function levels(needed: Iterable<string>): string[][] {
  const depth = new Map<string, number>()
  const visit = (name: string): number => {
    const known = depth.get(name)
    if (known !== undefined) return known
    const column = DERIVED[name]
    if (!column) throw new Error(`no derived column ${name}`)
    const d = column.deps.length === 0 ? 0 : 1 + Math.max(...column.deps.map(visit))
    depth.set(name, d)
    return d
  }
  for (const n of needed) visit(n)
  const out: string[][] = []
  for (const [name, d] of [...depth.entries()].sort((a, b) => a[0].localeCompare(b[0]))) (out[d] ??= []).push(name)
  return out.filter((l) => l.length > 0)
}

/**
 * The SQL for the rules: derived columns in a chain of CTEs over the records that intake accepts (eventSource, eventName,
 * eventTime non-empty strings; no Insights records), then one row per (event, matching rule). The set query scans
 * the table once (Athena bills by bytes scanned): each row carries the list of its rules, unnested.
 */
export function auditQuery(rules: readonly CompiledRule[], options: AuditQueryOptions): AuditQuery {
  const dialect = DIALECTS[options.dialect]
  let n = 0
  const used = new Set<string>()
  const paths = new Map<string, string>()
  const reads = new Map<string, string>()
  const ctx: DeriveContext & { use(column: string): void } = {
    dialect,
    lists: options.lists,
    settings: options.settings,
    fresh: () => `x${++n}`,
    use: (column) => used.add(column),
    column(expression, stage = 0) {
      const table = stage === 0 ? paths : reads
      let name = table.get(expression)
      if (name === undefined) table.set(expression, (name = stage === 0 ? `tw_j${table.size + 1}` : `tw_l${table.size + 1}`))
      return name
    },
  }
  const compiled: RuleSql[] = []
  const refused: RuleRefusal[] = []
  for (const rule of rules) {
    const r = ruleSql(rule, ctx)
    if (isRefusal(r)) refused.push(r)
    else compiled.push(r)
  }
  for (const column of ['tw_event_source', 'tw_event_name', 'tw_event_time', 'tw_event_category', 'tw_event_type', ...Object.values(RESULT_SOURCES).filter((s) => s !== undefined)]) used.add(column)

  const filters = [
    'tw_event_source IS NOT NULL',
    'tw_event_name IS NOT NULL',
    'tw_event_time IS NOT NULL',
    `COALESCE(tw_event_category <> 'Insight', TRUE)`,
    `COALESCE(tw_event_type <> 'AwsCloudTrailInsight', TRUE)`,
  ]
  if (options.since) filters.push(`tw_event_time >= ${quote(options.since)}`)
  if (options.until) filters.push(`tw_event_time <= ${quote(options.until)}`)
  const partition: string[] = []
  if (options.dialect === 'athena') {
    if (options.since) partition.push(`"timestamp" >= ${quote(partitionDay(options.since))}`)
    if (options.until) partition.push(`"timestamp" <= ${quote(partitionDay(options.until))}`)
    if (options.accounts?.length) partition.push(`account IN (${options.accounts.map(quote).join(', ')})`)
    if (options.regions?.length) partition.push(`region IN (${options.regions.map(quote).join(', ')})`)
  } else {
    if (options.accounts?.length) filters.push(`tw_recipient IN (${options.accounts.map(quote).join(', ')})`)
    if (options.regions?.length) filters.push(`tw_region IN (${options.regions.map(quote).join(', ')})`)
    if (options.accounts?.length) used.add('tw_recipient')
    if (options.regions?.length) used.add('tw_region')
    // The engine tries a rule only on events whose eventSource (eventName) is in the rule's literal list, when it has
    // one (ruleSet.ts, candidatesFor): when every rule has one, no other record can match. (Trino moves each rule's
    // own test down by itself; DuckDB runs without filter pushdown, auditDuckdb.ts.)
    const union = (lists: Array<string[] | undefined>) =>
      (lists.length > 0 && lists.every((l) => l !== undefined) ? [...new Set(lists.flat())].sort() : undefined)
    const sources = union(compiled.map((r) => r.rule.eventSources))
    const names = union(compiled.map((r) => r.rule.eventNames))
    if (sources) filters.push(`tw_event_source IN (${sources.map(quote).join(', ')})`)
    if (names) filters.push(`tw_event_name IN (${names.map(quote).join(', ')})`)
  }
  // Derived columns first (reading the record registers its JSON paths), then the paths as the first CTE.
  const derived = levels(used).map((level) => level.map((name) => `${DERIVED[name]?.sql(ctx) ?? 'NULL'} AS ${name}`))
  const pathColumns = [...paths].map(([expression, name]) => `${expression} AS ${name}`)
  const readColumns = [...reads].map(([expression, name]) => `${expression} AS ${name}`)
  const pathLevels = options.dialect === 'duckdb' ? duckdbPathLevels(referenced(paths, [...derived.flat(), ...readColumns, ...filters, ...compiled.flatMap((r) => [r.predicate, r.severity])])) : [pathColumns]
  const chainLevels = [...pathLevels, readColumns, ...derived].filter((l) => l.length > 0)
  // DuckDB: the filters read only columns of the first derived level (the record's own fields), so the deeper levels —
  // most of the work a row costs — are computed for the records that pass. Athena: Trino places filters itself.
  const filterAt = options.dialect === 'duckdb' && derived.length > 1 ? chainLevels.length - derived.length + 1 : undefined
  const chain = chainLevels.map((columns, i) => `t${i + 1} AS (SELECT *, ${columns.join(', ')} FROM t${i}${i === filterAt ? ` WHERE ${and(...filters)}` : ''})`)
  const source = `t0 AS (SELECT * FROM ${options.table}${partition.length > 0 ? ` WHERE ${and(...partition)}` : ''})`
  const last = `t${chain.length}`
  const base = `WITH ${[source, ...chain].join(',\n')},\nrecords AS (SELECT * FROM ${last}${filterAt === undefined ? ` WHERE ${and(...filters)}` : ''})`
  const columns = (severity: string, ruleId: string) =>
    [`${ruleId} AS rule_id`, `${severity} AS severity`, ...RESULT_COLUMNS.slice(2).map((c) => `${RESULT_SOURCES[c] ?? 'NULL'} AS ${c}`), ...(options.dialect === 'duckdb' && options.record !== false ? ['CAST(record AS VARCHAR) AS record'] : [])].join(', ')

  if (options.perRule === true || compiled.length <= 1) {
    return {
      statements: compiled.map((r) => ({ rules: [r.rule.id], sql: `${base}\nSELECT ${columns(r.severity, quote(r.rule.id))}\nFROM records\nWHERE ${r.predicate}\nORDER BY event_time, event_id` })),
      compiled,
      refused,
    }
  }
  const v = ctx.fresh()
  const matched = dialect.filter(dialect.textArray(compiled.map((r) => `CASE WHEN ${r.predicate} THEN ${quote(r.rule.id)} END`)), v, `${v} IS NOT NULL`)
  const severity = `CASE m.rule_id ${compiled.map((r) => `WHEN ${quote(r.rule.id)} THEN ${r.severity}`).join(' ')} END`
  const sql = `${base},\nmatched AS (SELECT *, ${matched} AS tw_rules FROM records)\nSELECT ${columns(severity, 'm.rule_id')}\nFROM matched CROSS JOIN UNNEST(tw_rules) AS m(rule_id)\nWHERE ${dialect.length('tw_rules')} > 0\nORDER BY event_time, event_id, rule_id`
  return { statements: [{ rules: compiled.map((r) => r.rule.id), sql }], compiled, refused }
}
