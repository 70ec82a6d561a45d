import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecutionState,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena'
import type { AuditQuery } from '../core/sql/auditQuery.js'
import type { AuditRow } from '../core/sql/formatRows.js'
import { ATHENA_USD_PER_TB, athenaCost, type AthenaTarget } from './athenaTarget.js'

/** Polling: 200 ms, growing by half each time to 5 s (a query takes seconds to minutes; polls are not billed but throttled). */
const nextDelay = (ms: number) => Math.min(5_000, Math.round(ms * 1.5))

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      resolve()
    }, { once: true })
  })

export interface AthenaOutcome {
  summary: string
  bytesScanned: number
}

/**
 * Each statement on Athena: StartQueryExecution, GetQueryExecution until it ends (backoff), GetQueryResults page by
 * page (the first row of the first page is the header, https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html).
 * A FAILED or CANCELLED query returns its reason. When `signal` aborts (Ctrl-C), the running query is stopped
 * (StopQueryExecution) so it is not billed to its end.
 */
export async function runAthenaAudit(
  client: AthenaClient,
  query: AuditQuery,
  target: AthenaTarget,
  onRow: (row: AuditRow) => void,
  progress: NodeJS.WritableStream,
  signal?: AbortSignal,
  pollStartMs = 200,
): Promise<AthenaOutcome | { error: string }> {
  if (target.table === 'invalid') return { error: '--database and --table take lower-case letters, digits and underscores' }
  let bytes = 0
  let cost = 0
  const ids: string[] = []
  for (const statement of query.statements) {
    const started = await client.send(new StartQueryExecutionCommand({
      QueryString: statement.sql,
      WorkGroup: target.workgroup,
      QueryExecutionContext: { Database: target.database },
      ...(target.outputLocation ? { ResultConfiguration: { OutputLocation: target.outputLocation } } : {}),
    }))
    const id = started.QueryExecutionId
    if (!id) return { error: 'Athena started no query (no QueryExecutionId)' }
    ids.push(id)
    progress.write(`athena: query ${id} started in workgroup ${target.workgroup}\n`)
    let delay = pollStartMs
    let state: QueryExecutionState | undefined
    for (;;) {
      if (signal?.aborted) {
        await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }))
        return { error: `athena: query ${id} stopped (interrupted)` }
      }
      const execution = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution
      state = execution?.Status?.State
      if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') {
        const scanned = execution?.Statistics?.DataScannedInBytes ?? 0
        bytes += scanned
        cost += athenaCost(scanned)
        if (state !== 'SUCCEEDED') {
          const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? 'no reason given'
          return { error: `athena: query ${id} ${state}: ${reason}` }
        }
        break
      }
      await sleep(delay, signal)
      delay = nextDelay(delay)
    }
    let token: string | undefined
    let first = true
    do {
      const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }))
      const names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '')
      const rows = page.ResultSet?.Rows ?? []
      for (const [i, row] of rows.entries()) {
        if (first && i === 0) continue
        const out: Record<string, string | null> = {}
        ;(row.Data ?? []).forEach((d, j) => {
          out[names[j] ?? `column_${j}`] = d.VarCharValue ?? null
        })
        onRow(out)
      }
      first = false
      token = page.NextToken
    } while (token)
  }
  const mb = (bytes / 1024 / 1024).toFixed(1)
  return {
    bytesScanned: bytes,
    summary: `athena: ${ids.length} ${ids.length === 1 ? 'query' : 'queries'} (${ids.join(', ')}), ${mb} MB scanned, about USD ${cost.toFixed(4)} at USD ${ATHENA_USD_PER_TB}/TB\n`,
  }
}
