import type { OptionSpec } from './io.js'

/** The options of the verbs that read CloudTrail Event history (audit --engine event-history, history). */
export const EVENT_HISTORY_OPTIONS = {
  region: { type: 'string', value: 'LIST', description: 'regions whose Event history to read, comma-separated; "all" = the 17 regions every account has enabled (opt-in regions are named: all,me-south-1). Default: AWS_REGION, else AWS_DEFAULT_REGION' },
  since: { type: 'string', value: 'WHEN', description: 'from this time: 30d, 12h, 90m, 2w ago, or a date (2026-11-01, 2026-11-01T12:00:00Z). Default: 90d, all Event history keeps' },
  until: { type: 'string', value: 'WHEN', description: 'up to this time, same forms (default: now)' },
} as const satisfies Record<string, OptionSpec>

/** Event history keeps 90 days of management events (CloudTrail User Guide, "Working with CloudTrail event history"). */
export const EVENT_HISTORY_DAYS = 90

const DAY_MS = 86_400_000
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS }

/** 30d / 12h / 90m / 2w before now, "now", or an ISO date or time; NaN when it is none of them. */
export function parseWhen(text: string, now: number): number {
  if (text === 'now') return now
  const relative = /^(\d{1,6})([mhdw])$/.exec(text)
  if (relative) return now - Number(relative[1]) * (UNIT_MS[relative[2] ?? 'd'] ?? 0)
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN
}

/**
 * --since / --until → the window LookupEvents takes (whole seconds, as its StartTime and EndTime are). A window that
 * starts over 90 days ago is read anyway (Event history simply has nothing older) with a note saying so.
 */
export function eventHistoryWindow(
  since: string | undefined,
  until: string | undefined,
  now: number,
): { from: number, to: number, note?: string } | { error: string } {
  const from = since === undefined ? now - EVENT_HISTORY_DAYS * DAY_MS : parseWhen(since, now)
  const to = until === undefined ? now : parseWhen(until, now)
  if (Number.isNaN(from)) return { error: `--since ${since ?? ''}: not a time (use 30d, 12h, 90m, 2w, or 2026-11-01 or 2026-11-01T12:00:00Z)` }
  if (Number.isNaN(to)) return { error: `--until ${until ?? ''}: not a time (use 1d, now, or 2026-11-02 or 2026-11-02T12:00:00Z)` }
  if (from > to) return { error: `--since is after --until (${new Date(from).toISOString()} > ${new Date(to).toISOString()})` }
  const window = { from: Math.floor(from / 1000) * 1000, to: Math.ceil(to / 1000) * 1000 }
  return from < now - EVENT_HISTORY_DAYS * DAY_MS - 60_000
    ? { ...window, note: `Event history keeps ${EVENT_HISTORY_DAYS} days: nothing before ${new Date(now - EVENT_HISTORY_DAYS * DAY_MS).toISOString()} can be read from it (replay or audit archives for older events)` }
    : window
}
