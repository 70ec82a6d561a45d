import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { AuditQuery } from '../core/sql/auditQuery.js'
import { quote } from '../core/sql/sqlText.js'
import type { AuditRow } from '../core/sql/formatRows.js'

/** How to get DuckDB when it is absent (it is an optional dependency; the container image omits it). */
export const DUCKDB_MISSING = 'DuckDB is not installed: it is an optional dependency of trailwarden (the container image omits it). Install it with `npm install @duckdb/node-api`, or use --engine athena or `trailwarden replay`.'

type DuckDB = typeof import('@duckdb/node-api')

/**
 * DuckDB, loaded only when an audit asks for it: the daemon never imports it (test/commands/daemonImports.test.ts).
 * Undefined when the optional package is not installed.
 */
export async function loadDuckdb(): Promise<DuckDB | undefined> {
  try {
    return await import('@duckdb/node-api')
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined
    throw err
  }
}

/** CloudTrail log files under the paths: a bucket-shaped tree (AWSLogs/…/CloudTrail/REGION/YYYY/MM/DD/) or a flat folder. */
export async function cloudTrailFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = []
  const visit = async (path: string): Promise<void> => {
    const s = await stat(path)
    if (s.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) await visit(join(path, entry))
    } else if (s.isFile() && /\.json(\.gz)?$/.test(path)) out.push(resolve(path))
  }
  for (const p of paths) await visit(p)
  return out
}

/** The largest log file read (DuckDB's default is 16 MB): replay's limit, MAX_DOCUMENT_BYTES. */
const MAX_OBJECT_BYTES = 256 * 1024 * 1024

/**
 * Run the audit's statements over the files with DuckDB: each file's `Records` array unnested into one row per
 * record, the JSON kept as JSON (read_json's inferred STRUCTs would lose absent-versus-null;
 * https://duckdb.org/docs/stable/data/json/loading_json). Rows go to onRow as they arrive.
 */
export async function runDuckdbAudit(
  duckdb: DuckDB,
  files: readonly string[],
  query: AuditQuery,
  onRow: (row: AuditRow & { record?: string }) => void,
): Promise<void> {
  const instance = await duckdb.DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const list = `[${files.map((f) => quote(f)).join(', ')}]`
    // The query reads each record's paths with one json_extract in its first CTE. Filter pushdown copies that
    // expression into every filter it moves below the CTE, so each record was parsed at least once more (about a
    // third of the query's CPU time, bench P8). Without it the filters run where the query writes them.
    await connection.run(`SET disabled_optimizers = 'filter_pushdown'`)
    // Records typed JSON[] by read_json itself: each file parsed once, each record kept as its JSON text. (Read as a
    // whole object with read_json_objects, then CAST to JSON[], each file was parsed twice.) A file whose top level is
    // not an object, or names Records twice, is an error here, as replay reports it damaged.
    await connection.run(
      `CREATE VIEW cloudtrail_records AS SELECT unnest(Records) AS record FROM read_json(${list}, format = 'auto', records = true, columns = {Records: 'JSON[]'}, maximum_object_size = ${MAX_OBJECT_BYTES})`,
    )
    for (const statement of query.statements) {
      const result = await connection.stream(statement.sql)
      for await (const rows of result.yieldRowObjectJson()) for (const row of rows) onRow(row)
    }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
