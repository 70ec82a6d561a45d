import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { CLOUDTRAIL_COLUMNS, type ColumnShape } from '../../src/core/sql/cloudTrailTable.js'

/**
 * Trino functions the Athena dialect uses that DuckDB names differently, as DuckDB macros (those without lambdas); the
 * rest is rewritten in the text by athenaToDuckdb.
 */
const MACROS = [
  'CREATE MACRO json_parse(x) AS json(x)',
  'CREATE MACRO json_format(x) AS CAST(x AS VARCHAR)',
  'CREATE MACRO json_extract_scalar(x, p) AS json_extract_string(x, p)',
  'CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  'CREATE MACRO cardinality(l) AS len(l)',
]

/**
 * Athena SQL (Trino) → DuckDB, token by token outside string literals: ARRAY(JSON) → JSON[], filter/transform/concat
 * on arrays → list_filter/list_transform/list_concat; inside string literals, Trino's JSON paths $["a"]["b"] → $."a"."b".
 */
export function athenaToDuckdb(sql: string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql.charAt(i)
    if (c === '\'') {
      let j = i + 1
      let text = ''
      for (;;) {
        if (j >= sql.length) throw new Error('unterminated string literal')
        if (sql.charAt(j) === '\'' && sql.charAt(j + 1) === '\'') {
          text += '\''
          j += 2
        } else if (sql.charAt(j) === '\'') break
        else text += sql.charAt(j++)
      }
      const path = /^\$(\["[^"]*"\])+$/.test(text) ? `$${[...text.matchAll(/\["([^"]*)"\]/g)].map((m) => `."${m[1] ?? ''}"`).join('')}` : text
      out += `'${path.replaceAll('\'', '\'\'')}'`
      i = j + 1
      continue
    }
    let j = i
    while (j < sql.length && sql.charAt(j) !== '\'') j++
    out += sql.slice(i, j)
      .replaceAll('ARRAY(JSON)', 'JSON[]')
      .replace(/\b(filter|transform|concat)\(/g, (_m, f: string) => `list_${f}(`)
    i = j
  }
  return out
}

/** The JSON type the DuckDB stand-in of the Athena table gives a struct (its fields as in CloudTrail, camelCase). */
function transformSpec(shape: ColumnShape): unknown {
  if (typeof shape === 'string') return shape === 'map' ? 'MAP(VARCHAR, VARCHAR)' : 'VARCHAR'
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, transformSpec(v)]))
}

function columnSql(name: string, shape: ColumnShape): string {
  const at = `'$."${name}"'`
  if (typeof shape !== 'string') return `json_transform(json_extract(raw, ${at}), '${JSON.stringify(transformSpec(shape))}') AS ${name.toLowerCase()}`
  if (shape.startsWith('unsupported')) return `json_extract(raw, ${at}) AS ${name.toLowerCase()}`
  // A string column holds a string as it is, and any other JSON value as its text (as the JSON SerDe reads it).
  return `json_extract_string(raw, ${at}) AS ${name.toLowerCase()}`
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED'

interface Execution {
  id: string
  sql: string
  workGroup: string | undefined
  database: string | undefined
  outputLocation: string | undefined
  state: State
  polls: number
  reason?: string
  columns: string[]
  rows: Array<Array<string | null>>
}

export interface AthenaDoubleOptions {
  /** Polls a query stays QUEUED then RUNNING before it runs (a slow query). Default 2. */
  pollsBeforeDone?: number
  /** Every query ends FAILED with this reason, as Athena reports a query that cannot run. */
  failWith?: string
  /** The first N calls answer ThrottlingException (the SDK retries them). */
  throttleFirst?: number
  /** Rows per page at most, below the 1,000 a caller asks for (to see paging with few rows). */
  pageSize?: number
}

/**
 * A double of Athena's StartQueryExecution, GetQueryExecution, GetQueryResults and StopQueryExecution on 127.0.0.1,
 * speaking what @aws-sdk/client-athena sends (AWS JSON 1.1, `X-Amz-Target: AmazonAthena.<Op>`). It runs the SQL it
 * receives on DuckDB, over a table shaped like the CloudTrail table (cloudTrailTable.ts) in a database `default`,
 * after rewriting Athena's functions (athenaToDuckdb); results come back as Athena pages them (the header row first,
 * every value a VarCharValue, NextToken). https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html
 */
export async function startAthenaDouble(records: readonly unknown[], options: AthenaDoubleOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tw-athena-'))
  const file = join(dir, 'records.ndjson')
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'))
  const bytes = records.reduce<number>((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0)
  const db = await DuckDBInstance.create(':memory:')
  const connection: DuckDBConnection = await db.connect()
  for (const m of MACROS) await connection.run(m)
  const columns = Object.entries(CLOUDTRAIL_COLUMNS).map(([name, shape]) => columnSql(name, shape))
  await connection.run(`CREATE SCHEMA IF NOT EXISTS "default"`)
  await connection.run(
    `CREATE TABLE "default"."cloudtrail_logs" AS SELECT ${columns.join(', ')}, json_extract_string(raw, '$.recipientAccountId') AS account, json_extract_string(raw, '$.awsRegion') AS region, replace(substr(json_extract_string(raw, '$.eventTime'), 1, 10), '-', '/') AS "timestamp" FROM (SELECT json AS raw FROM read_json_objects('${file}', format = 'newline_delimited'))`,
  )
  const executions = new Map<string, Execution>()
  const targets: string[] = []
  const stopped: string[] = []
  let calls = 0

  const run = async (e: Execution) => {
    try {
      if (options.failWith) throw new Error(options.failWith)
      const reader = await connection.runAndReadAll(athenaToDuckdb(e.sql))
      e.columns = reader.columnNames()
      e.rows = (reader.getRowsJson() as unknown[][]).map((row) => row.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))))
      e.state = 'SUCCEEDED'
    } catch (err) {
      e.state = 'FAILED'
      e.reason = err instanceof Error ? err.message : String(err)
    }
  }

  const reply = (res: ServerResponse, status: number, body: unknown): true => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
    res.end(JSON.stringify(body))
    return true
  }
  const invalid = (res: ServerResponse, message: string) => reply(res, 400, { __type: 'InvalidRequestException', Message: message })

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const target = String(req.headers['x-amz-target'] ?? '')
    targets.push(target)
    calls += 1
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.1') return invalid(res, 'AWS JSON 1.1 POST expected')
    if (calls <= (options.throttleFirst ?? 0)) return reply(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' })
    const input = JSON.parse(body) as Record<string, unknown>
    const id = typeof input.QueryExecutionId === 'string' ? input.QueryExecutionId : ''
    const e = executions.get(id)
    switch (target) {
      case 'AmazonAthena.StartQueryExecution': {
        const context = input.QueryExecutionContext as { Database?: string } | undefined
        const result = input.ResultConfiguration as { OutputLocation?: string } | undefined
        const started: Execution = {
          id: randomUUID(), sql: String(input.QueryString), workGroup: input.WorkGroup as string | undefined, database: context?.Database,
          outputLocation: result?.OutputLocation, state: 'QUEUED', polls: 0, columns: [], rows: [],
        }
        executions.set(started.id, started)
        return reply(res, 200, { QueryExecutionId: started.id })
      }
      case 'AmazonAthena.GetQueryExecution': {
        if (!e) return invalid(res, `QueryExecution ${id} was not found`)
        e.polls += 1
        if (e.state === 'QUEUED' || e.state === 'RUNNING') {
          if (e.polls >= (options.pollsBeforeDone ?? 2)) await run(e)
          else e.state = e.polls === 1 ? 'QUEUED' : 'RUNNING'
        }
        const status: Record<string, unknown> = { State: e.state, SubmissionDateTime: Date.now() / 1000 }
        if (e.reason) {
          Object.assign(status, { StateChangeReason: e.reason, AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: e.reason } })
        }
        return reply(res, 200, {
          QueryExecution: {
            QueryExecutionId: e.id, Query: e.sql, StatementType: 'DML', WorkGroup: e.workGroup ?? 'primary',
            QueryExecutionContext: { Database: e.database ?? 'default' },
            ResultConfiguration: { OutputLocation: `${e.outputLocation ?? 's3://athena-results/'}${e.id}.csv` },
            Status: status,
            Statistics: e.state === 'SUCCEEDED' || e.state === 'FAILED' ? { DataScannedInBytes: e.state === 'SUCCEEDED' ? bytes : 0, EngineExecutionTimeInMillis: 42 } : {},
          },
        })
      }
      case 'AmazonAthena.GetQueryResults': {
        if (!e) return invalid(res, `QueryExecution ${id} was not found`)
        if (e.state !== 'SUCCEEDED') return invalid(res, `Query has not yet finished. Current state: ${e.state}`)
        const max = Math.min(options.pageSize ?? 1000, typeof input.MaxResults === 'number' ? Math.min(1000, input.MaxResults) : 1000)
        const offset = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0
        // Athena's first page starts with a header row: the column names, as data.
        const all = [e.columns, ...e.rows]
        const page = all.slice(offset, offset + max)
        const next = offset + max < all.length ? String(offset + max) : undefined
        return reply(res, 200, {
          ResultSet: {
            Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
            ResultSetMetadata: { ColumnInfo: e.columns.map((name) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: name, Label: name, Type: 'varchar', Precision: 2147483647, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })) },
          },
          UpdateCount: 0,
          ...(next ? { NextToken: next } : {}),
        })
      }
      case 'AmazonAthena.StopQueryExecution': {
        if (!e) return invalid(res, `QueryExecution ${id} was not found`)
        stopped.push(e.id)
        if (e.state === 'QUEUED' || e.state === 'RUNNING') e.state = 'CANCELLED'
        return reply(res, 200, {})
      }
      default:
        return reply(res, 400, { __type: 'UnknownOperationException', message: `unknown operation ${target}` })
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        reply(res, 500, { __type: 'InternalServerException', Message: String(err) })
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** The X-Amz-Target of every call, in order. */
    targets,
    stopped,
    executions,
    bytes,
    async close() {
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
      connection.closeSync()
      db.closeSync()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
