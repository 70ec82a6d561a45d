import type { SilenceScopeKind } from './silence.js'

/** How long a silence may last: a longer suppression belongs in git as an exception (`trailwarden silences export`). */
export const MAX_SILENCE_MS = 90 * 86_400_000
export const REASON_MAX = 300

export const DURATIONS = { '1h': 3_600_000, '4h': 4 * 3_600_000, '24h': 24 * 3_600_000 } as const
export type DurationChoice = keyof typeof DURATIONS | 'date'

/** The block ids and action ids of the Silence modal's inputs (actionBlocks.ts builds it; this reads it back). */
export const MODAL = {
  callbackId: 'tw_silence',
  scope: { block: 'tw-scope', action: 'scope' },
  for: { block: 'tw-for', action: 'for' },
  until: { block: 'tw-until', action: 'until' },
  reason: { block: 'tw-reason', action: 'reason' },
} as const

export type SilenceRequest =
  | { ok: true, kind: SilenceScopeKind, expiresAt: number, reason: string }
  | { ok: false, errors: Record<string, string> }

type Values = Record<string, Record<string, Record<string, unknown> | undefined> | undefined>

const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)

function input(values: Values, at: { block: string, action: string }): Record<string, unknown> | undefined {
  return obj(obj(values[at.block])?.[at.action])
}

const selected = (field: Record<string, unknown> | undefined): unknown => obj(field?.selected_option)?.value

/**
 * A submitted Silence modal (view_submission `view.state.values`, https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload)
 * → what to silence and until when, or the errors Slack shows next to each input (`response_action: errors`). Pure:
 * `now` is passed in. A date means "until the end of that day (UTC)", as an exception's `expires` does.
 */
export function readSilenceRequest(state: unknown, now: number): SilenceRequest {
  const values = (obj(obj(state)?.values) ?? {}) as Values
  const errors: Record<string, string> = {}
  const kind = selected(input(values, MODAL.scope))
  if (kind !== 'service' && kind !== 'cluster' && kind !== 'actor') errors[MODAL.scope.block] = 'Choose what to silence.'
  const choice = selected(input(values, MODAL.for))
  let expiresAt = Number.NaN
  if (typeof choice === 'string' && Object.hasOwn(DURATIONS, choice)) {
    expiresAt = now + DURATIONS[choice as keyof typeof DURATIONS]
  } else if (choice === 'date') {
    const date = input(values, MODAL.until)?.selected_date
    const start = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN
    if (Number.isNaN(start)) errors[MODAL.until.block] = 'Pick the last day the silence applies.'
    else if (start + 86_400_000 <= now) errors[MODAL.until.block] = 'That day is over: pick today or a later day.'
    else if (start + 86_400_000 - now > MAX_SILENCE_MS) errors[MODAL.until.block] = 'At most 90 days: for longer, commit an exception to the rule (trailwarden silences export).'
    else expiresAt = start + 86_400_000
  } else {
    errors[MODAL.for.block] = 'Choose how long.'
  }
  const rawReason = input(values, MODAL.reason)?.value
  const reason = typeof rawReason === 'string' ? rawReason.trim() : ''
  if (reason.length < 3) errors[MODAL.reason.block] = 'Say why (it is recorded, shown in the channel and exported to git).'
  else if (reason.length > REASON_MAX) errors[MODAL.reason.block] = `At most ${REASON_MAX} characters.`
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, kind: kind as SilenceScopeKind, expiresAt, reason }
}
