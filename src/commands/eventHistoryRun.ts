import type { Event } from '@aws-sdk/client-cloudtrail'
import { createCallSpacing, lookupRegion, type RegionResult } from '../sources/eventHistory/lookupRegion.js'
import { progressLine } from '../sources/eventHistory/progressLine.js'
import { createCloudTrailClient } from './clients.js'
import type { CommandIO } from './io.js'

export interface EventHistoryRun {
  results: RegionResult[]
  retries: number
  /** SIGINT arrived: every region stopped where it was. */
  interrupted: boolean
}

/**
 * Credentials named in the command's environment are passed to the client (tests give each run its own); otherwise
 * the SDK's default chain finds them (profile, SSO, the ECS task role, …).
 */
function envCredentials(env: NodeJS.ProcessEnv) {
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  if (!accessKeyId || !secretAccessKey) return undefined
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
}

/**
 * Read ECS Event history in every region at once, each region under its own 2-a-second limit (the limit is per
 * account and region). Pages go to onPage as they arrive. SIGINT stops every region where it is (a second SIGINT
 * ends the process as usual); the caller prints what was read and says it is incomplete. A progress line goes to
 * stderr only when stderr is a terminal.
 */
export async function runEventHistory(
  io: CommandIO,
  regions: readonly string[],
  window: { from: number, to: number },
  onPage: (events: readonly Event[], region: string) => void,
): Promise<EventHistoryRun> {
  const controller = new AbortController()
  const onSigint = () => { controller.abort() }
  process.once('SIGINT', onSigint)
  const started = Date.now()
  const state = { events: 0, pages: 0, retries: 0, regions: regions.map((): { reachedMs?: number, finished: boolean } => ({ finished: false })) }
  let drawn = 0
  const draw = (force = false) => {
    if (!io.stderr.isTTY) return
    const now = Date.now()
    if (!force && now - drawn < 250) return
    drawn = now
    io.stderr.write(`\r\x1b[2K${progressLine(state, window, now - started)}`)
  }
  try {
    const results = await Promise.all(regions.map(async (region, i) => {
      const result = await lookupRegion({
        client: createCloudTrailClient(region, io.env.AWS_ENDPOINT_URL_CLOUDTRAIL, envCredentials(io.env)),
        region,
        from: new Date(window.from),
        to: new Date(window.to),
        eventSource: 'ecs.amazonaws.com',
        spacing: createCallSpacing(),
        signal: controller.signal,
        onPage(events) {
          state.events += events.length
          state.pages += 1
          const oldest = events.at(-1)?.EventTime
          const slot = state.regions[i]
          if (oldest && slot) slot.reachedMs = oldest.getTime()
          onPage(events, region)
          draw()
        },
        onRetry() {
          state.retries += 1
          draw()
        },
      })
      const slot = state.regions[i]
      if (slot) slot.finished = true
      draw()
      return result
    }))
    return { results, retries: state.retries, interrupted: controller.signal.aborted }
  } finally {
    process.off('SIGINT', onSigint)
    if (io.stderr.isTTY) io.stderr.write('\r\x1b[2K')
  }
}

/** What a run did not read, one line per region that stopped early; empty when it read everything. */
export function incompleteLines(run: EventHistoryRun, window: { from: number }): string[] {
  const lines: string[] = []
  if (run.interrupted) lines.push('INCOMPLETE: interrupted (SIGINT): the results above are partial')
  for (const r of run.results) {
    if (!r.error && !r.interrupted) continue
    const unread = `events from ${new Date(window.from).toISOString()} to ${r.oldest ? r.oldest.toISOString() : 'the end of the window'} were not read`
    lines.push(`INCOMPLETE: ${r.region} stopped after ${r.pages} page${r.pages === 1 ? '' : 's'} (${r.events} events): ${unread}${r.error ? ` — ${r.error.message}` : ''}`)
  }
  return lines
}

/** The run failed before reading anything, for a reason every region shares (credentials, permission): say it once. */
export function failedAtStart(run: EventHistoryRun): string | undefined {
  if (run.interrupted || run.results.some((r) => r.pages > 0 || !r.error)) return undefined
  const messages = [...new Set(run.results.map((r) => r.error?.message ?? ''))]
  const kinds = new Set(run.results.map((r) => r.error?.kind))
  return kinds.size === 1 && (kinds.has('credentials') || kinds.has('access-denied')) ? messages.length === 1 ? messages[0] : messages.join('\n') : undefined
}
