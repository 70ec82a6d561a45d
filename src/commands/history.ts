import { parseArgs } from 'node:util'
import type { Event } from '@aws-sdk/client-cloudtrail'
import { buildHistory, informs } from '../core/history/buildHistory.js'
import { HISTORY_FORMATS, type HistoryFormat, historyReport } from '../core/history/historyReport.js'
import { belongsTo, type HistoryTarget } from '../core/history/historyTarget.js'
import { DEFAULT_LIMITS } from '../core/intake/parseBody.js'
import { normaliseEach } from '../core/intake/readEvents.js'
import { DEFAULT_SETTINGS } from '../core/intake/settings.js'
import type { IntakeRecord, NormalisedEvent } from '../core/intake/types.js'
import { parseRegions } from '../sources/eventHistory/allRegions.js'
import { eventRecords, type UnreadEvent } from '../sources/eventHistory/eventRecords.js'
import { readArchive } from '../sources/readArchive.js'
import { archiveRecords } from './archiveOptions.js'
import { EVENT_HISTORY_OPTIONS, eventHistoryWindow, parseWhen } from './eventHistoryOptions.js'
import { failedAtStart, incompleteLines, runEventHistory } from './eventHistoryRun.js'
import { type Command, type CommandIO, EXIT, type OptionSpec } from './io.js'

const OPTIONS = {
  'cluster': { type: 'string', value: 'NAME', description: 'the service\'s cluster (name or ARN); without it, a service of that name in any cluster' },
  'service': { type: 'string', value: 'NAME', description: 'the service whose changes to list (name or ARN)' },
  'task-definition': { type: 'string', value: 'FAMILY', description: 'the task definition family whose changes to list: registrations, deregistrations, services switched to it, tasks run from it' },
  ...EVENT_HISTORY_OPTIONS,
  'format': { type: 'string', value: HISTORY_FORMATS.join('|'), default: 'table', description: 'table for a terminal, markdown for a ticket, csv (every field, event ids too) for a spreadsheet' },
} as const satisfies Record<string, OptionSpec>

/** A name or an ARN's last segment (arn:aws:ecs:…:service/prod-web/web → web). */
const nameOf = (value: string | undefined): string | undefined => (value?.startsWith('arn:') ? value.split('/').pop() : value)

/** Family of family:rev or a task-definition ARN. */
const familyOfOption = (value: string | undefined): string | undefined => nameOf(value)?.split(':')[0]

/**
 * `trailwarden history`: who changed this service, when, how, from what to what — the auditor's question as one
 * command, from Event history (every region asked, as audit reads it) or from archives (replay's inputs).
 */
export const historyCommand: Command = {
  options: OPTIONS,
  summary: 'the change history of an ECS service or task definition family: time, actor, how, what changed, source IP',
  usage: 'trailwarden history (--service NAME [--cluster NAME] | --task-definition FAMILY) [PATH…] [--region LIST|all] [--since 30d] [--until WHEN] [--format table|markdown|csv]',
  notes: [
    'Without PATH, the history comes from CloudTrail Event history (the last 90 days; 2 calls a second per region); with PATHs, from CloudTrail archives (S3 log files, .json.gz, folders, JSON lines, - for stdin).',
    'Rows are oldest first; an event seen twice is one row. "what changed" is worded against the earlier rows (desired count 2 → 4); a change whose before is not in the window shows "→ 4". A refused call is a row marked REFUSED.',
    'Example: trailwarden history --cluster prod-web --service web --region eu-west-1 --since 30d',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS })
    const target: HistoryTarget = {}
    const cluster = nameOf(values.cluster)
    const service = nameOf(values.service)
    const family = familyOfOption(values['task-definition'])
    if (cluster) target.cluster = cluster
    if (service) target.service = service
    if (family) target.family = family
    const format = values.format
    if ((!service && !family) || !(HISTORY_FORMATS as readonly string[]).includes(format)) {
      io.stderr.write(!service && !family ? `history needs --service (with --cluster) or --task-definition\nusage: ${this.usage}\n` : `--format ${format}: use ${HISTORY_FORMATS.join(', ')}\n`)
      return EXIT.usage
    }
    const events: NormalisedEvent[] = []
    const keep = (records: readonly IntakeRecord[]) => {
      // Only the target's events (and registrations, which name images) are kept: 90 days of a busy account are mostly other services.
      for (const e of normaliseEach(records, DEFAULT_SETTINGS).events) if (belongsTo(e, target) || informs(e)) events.push(e)
    }
    const read = positionals.length > 0 ? await fromArchives(positionals, values, io, keep) : await fromEventHistory(values, io, keep)
    if (typeof read === 'number') return read
    io.stdout.write(historyReport(buildHistory(events, target), format as HistoryFormat))
    io.stderr.write(`${read.header}\n`)
    for (const n of read.notes) io.stderr.write(`${n}\n`)
    return read.code
  },
}

interface Read { header: string, notes: string[], code: number }

type Keep = (records: readonly IntakeRecord[]) => void
type WindowValues = { region?: string | undefined, since?: string | undefined, until?: string | undefined }

async function fromArchives(paths: string[], values: WindowValues, io: CommandIO, keep: Keep): Promise<Read | number> {
  const now = (io.now ?? Date.now)()
  const from = values.since === undefined ? -Infinity : parseWhen(values.since, now)
  const to = values.until === undefined ? Infinity : parseWhen(values.until, now)
  if (Number.isNaN(from) || Number.isNaN(to)) {
    io.stderr.write(`--${Number.isNaN(from) ? 'since' : 'until'}: not a time (use 30d, 12h, or 2026-11-01T12:00:00Z)\n`)
    return EXIT.usage
  }
  const notes: string[] = []
  const onError = (e: { file: string, message: string }) => { notes.push(`damaged: ${e.file}: ${e.message}`) }
  let records = 0
  let files = 0
  let current: string | undefined
  try {
    for await (const body of readArchive(paths, onError, io.stdin)) {
      if (body.file !== current) {
        current = body.file
        files += 1
      }
      const parsed = archiveRecords(body, DEFAULT_LIMITS.maxDepth, onError)
      const inWindow = parsed.records.filter((r) => {
        const at = Date.parse(r.record.eventTime)
        return at >= from && at <= to
      })
      records += inWindow.length
      keep(inWindow)
    }
  } catch (err) {
    io.stderr.write(`cannot read ${paths.join(' ')}: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT.usage
  }
  return { header: `${records} records read from ${files} files`, notes, code: notes.length > 0 ? EXIT.findings : EXIT.ok }
}

async function fromEventHistory(values: WindowValues, io: CommandIO, keep: Keep): Promise<Read | number> {
  const window = eventHistoryWindow(values.since, values.until, (io.now ?? Date.now)())
  const regionText = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION
  const regions = regionText === undefined ? { error: 'no region: give --region (eu-west-1, a list, or all) or set AWS_REGION' } : parseRegions(regionText)
  if ('error' in window || 'error' in regions) {
    io.stderr.write(`${'error' in window ? window.error : 'error' in regions ? regions.error : ''}\n`)
    return EXIT.usage
  }
  if (window.note) io.stderr.write(`note: ${window.note}\n`)
  const unread: UnreadEvent[] = []
  let total = 0
  const run = await runEventHistory(io, regions.regions, window, (page: readonly Event[]) => {
    total += page.length
    const read = eventRecords(page, DEFAULT_LIMITS)
    unread.push(...read.unread)
    keep(read.records)
  })
  const fatal = failedAtStart(run)
  if (fatal) {
    io.stderr.write(`${fatal}\n`)
    return EXIT.usage
  }
  const incomplete = incompleteLines(run, window)
  const notes = [...unread.slice(0, 20).map((u) => `unreadable event ${u.eventId}: ${u.rejection.message}`), ...(unread.length > 20 ? [`… and ${unread.length - 20} more unreadable events`] : []), ...incomplete]
  const pages = run.results.reduce((n, r) => n + r.pages, 0)
  return {
    header: `${total} ECS events read from Event history in ${pages} page${pages === 1 ? '' : 's'} from ${regions.regions.join(', ')}, ${new Date(window.from).toISOString()} to ${new Date(window.to).toISOString()}${unread.length ? `; ${unread.length} could not be read` : ''}`,
    notes,
    code: incomplete.length > 0 ? EXIT.usage : unread.length > 0 ? EXIT.findings : EXIT.ok,
  }
}
