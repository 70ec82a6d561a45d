import { type IntakeLimits, type ParsedBody, parseBody, parseBodyValue } from '../core/intake/parseBody.js'
import type { Rejection } from '../core/intake/rejection.js'
import type { OptionSpec } from './io.js'
import { type ArchiveBody, type ArchiveError, MAX_DOCUMENT_BYTES } from '../sources/readArchive.js'

/** The parseArgs options of the commands that read archives by time (replay, backtest). */
export const WINDOW_OPTIONS = {
  since: { type: 'string', value: 'DATE', description: 'only records whose eventTime is at or after this (2026-11-01 or 2026-11-01T12:00:00Z)' },
  until: { type: 'string', value: 'DATE', description: 'only records whose eventTime is at or before this' },
} as const satisfies Record<string, OptionSpec>

/** --since / --until: ISO dates or times, compared with each record's eventTime. */
export function timeWindow(since: string | undefined, until: string | undefined): { from: number, to: number } | { error: string } {
  const from = since ? Date.parse(since) : -Infinity
  const to = until ? Date.parse(until) : Infinity
  if (Number.isNaN(from)) return { error: `--since ${since ?? ''}: not a date (use 2026-11-01 or 2026-11-01T12:00:00Z)` }
  if (Number.isNaN(to)) return { error: `--until ${until ?? ''}: not a date (use 2026-11-02 or 2026-11-02T12:00:00Z)` }
  return { from, to }
}

/** Rejections that mean the file itself is damaged (as opposed to holding something that is not an API call). */
const DAMAGE: ReadonlySet<Rejection['reason']> = new Set(['not-json', 'not-object', 'too-large', 'too-deep'])

/** A progress line on stderr, only in a terminal, at most four times a second. */
export function progress(stderr: NodeJS.WritableStream & { isTTY?: boolean }) {
  const started = Date.now()
  let last = 0
  return {
    update(files: number, records: number, matches: number, force = false) {
      if (!stderr.isTTY) return
      const now = Date.now()
      if (!force && now - last < 250) return
      last = now
      const rate = Math.round(records / Math.max(0.001, (now - started) / 1000))
      stderr.write(`\r\x1b[2K${files} files · ${records} records (${rate}/s) · ${matches} matches`)
    },
    done() {
      if (stderr.isTTY) stderr.write('\r\x1b[2K')
    },
  }
}

/**
 * The records of one archive body, parsed once (the reader may have parsed it already to learn the file's shape).
 * A body that yields nothing because it is damaged goes to onError, named by file (and line).
 */
export function archiveRecords(b: ArchiveBody, maxDepth: number, onError: (e: ArchiveError) => void): ParsedBody {
  const limits: IntakeLimits = { maxBodyBytes: MAX_DOCUMENT_BYTES, maxDepth }
  const parsed = b.value === undefined ? parseBody(b.body, limits) : parseBodyValue(b.value, limits)
  const first = parsed.rejections[0]
  if (parsed.records.length === 0 && first && DAMAGE.has(first.reason)) onError({ file: b.line ? `${b.file}:${b.line}` : b.file, message: first.message })
  return parsed
}
