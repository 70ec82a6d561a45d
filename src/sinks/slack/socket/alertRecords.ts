import type { Mark } from '../../../core/alerts/actionBlocks.js'
import type { Alert } from '../../../core/alerts/alert.js'
import type { EventContext } from '../../../core/intake/types.js'
import { alertRef, type AlertScopes, alertScopes } from '../../../core/silences/alertScopes.js'
import type { StateStore } from '../../../state/stateStore.js'

/** How long a posted alert's buttons keep working: its record is kept this long. */
export const ALERT_RECORD_MS = 7 * 86_400_000
/** The message's blocks are kept for updates made without a click's payload (a modal's submission, a silence's end). */
const MAX_BLOCKS_BYTES = 40 * 1024
const ATTEMPTS = 8

/** What is kept about one alert under its ref: what its buttons act on, and what people did with it. */
export interface AlertRecord {
  scopes: AlertScopes
  acks: Mark[]
  vouches: Mark[]
  silenceId?: string
  /** The message as Slack echoed it on the first click (trailwarden's own status blocks included; replaced on update). */
  blocks?: unknown[]
  text?: string
}

const key = (ref: string) => `rec#alert#${ref}`

const marks = (v: unknown): Mark[] =>
  Array.isArray(v) ? v.filter((m: Partial<Mark> | null) => typeof m?.user === 'string' && typeof m.at === 'number' && Number.isFinite(m.at)) as Mark[] : []

function asRecord(v: unknown): AlertRecord | undefined {
  const r = v as Partial<AlertRecord> | null | undefined
  if (!r || typeof r !== 'object' || !r.scopes || typeof r.scopes.ruleId !== 'string' || typeof r.scopes.title !== 'string') return undefined
  const record: AlertRecord = { scopes: r.scopes, acks: marks(r.acks), vouches: marks(r.vouches) }
  if (typeof r.silenceId === 'string') record.silenceId = r.silenceId
  if (Array.isArray(r.blocks)) record.blocks = r.blocks
  if (typeof r.text === 'string') record.text = r.text
  return record
}

/** The alert records in the shared state store: written when an alert is decided, changed (optimistically) by clicks. */
export class AlertRecords {
  constructor(private readonly store: StateStore) {}

  /** Keep what the alert's buttons will need; an existing record (a redelivered message) is left as it is. */
  async remember(alert: Alert, context: Pick<EventContext, 'ecs' | 'actor'> | undefined, now: number): Promise<string> {
    const ref = alertRef(alert)
    await this.store.put(key(ref), { scopes: alertScopes(alert, context), acks: [], vouches: [] } satisfies AlertRecord, now + ALERT_RECORD_MS, undefined, now)
    return ref
  }

  async get(ref: string, now: number): Promise<AlertRecord | undefined> {
    return asRecord((await this.store.get(key(ref), now))?.value)
  }

  /** Change a record with `edit`, retrying when another replica wrote it first. Undefined when there is none. */
  async update(ref: string, now: number, edit: (r: AlertRecord) => void): Promise<AlertRecord | undefined> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const stored = await this.store.get(key(ref), now)
      const record = asRecord(stored?.value)
      if (!stored || !record) return undefined
      edit(record)
      if (record.blocks && JSON.stringify(record.blocks).length > MAX_BLOCKS_BYTES) delete record.blocks
      if (await this.store.put(key(ref), record, stored.expiresAt, stored.version, now)) return record
    }
    throw new Error(`the alert record ${ref} kept changing under ${ATTEMPTS} attempts; try again`)
  }
}
