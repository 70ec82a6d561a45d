import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

/**
 * Records in a real DuckDB, as the audit engine holds them: a table `cloudtrail_records` with one JSON column `record`,
 * read with read_json_objects from a newline-delimited file: the same JSON values the engine's view of an archive holds
 * (test/commands/auditDuckdb.test.ts checks that view against the records written).
 */
export async function duckdbWithRecords(records: readonly unknown[]) {
  const dir = mkdtempSync(join(tmpdir(), 'tw-duckdb-'))
  const file = join(dir, 'records.ndjson')
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'))
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  await connection.run(`CREATE TABLE cloudtrail_records AS SELECT json AS record FROM read_json_objects('${file}', format = 'newline_delimited')`)
  return {
    connection,
    async rows(sql: string): Promise<Array<Record<string, unknown>>> {
      const reader = await connection.runAndReadAll(sql)
      return reader.getRowObjectsJson()
    },
    close() {
      connection.closeSync()
      db.closeSync()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
