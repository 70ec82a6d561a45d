import { REF } from '../../../core/silences/alertScopes.js'
import { isActive, type Silence } from '../../../core/silences/silence.js'
import type { StateStore } from '../../../state/stateStore.js'

/** The one record every replica reads: all silences, active and lately ended, in one versioned value. */
export const SILENCES_KEY = 'rec#silences'
/** An ended silence is kept this long, so its end can be announced and shown, then pruned by the next write. */
const KEEP_ENDED_MS = 24 * 3_600_000
/** The record stays well below the store's 64 KiB: a silence is at most about 2.6 KB (a long ARN and a full reason). */
const MAX_RECORD_BYTES = 56 * 1024
const ATTEMPTS = 8

export class SilenceBookFull extends Error {
  constructor() {
    super('too many active silences: end some (Undo), or export them to the rules (trailwarden silences export) and let them lapse')
    this.name = 'SilenceBookFull'
  }
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** One stored silence, checked field by field: a damaged entry is dropped, never applied half-read. */
export function asSilence(v: unknown): Silence | undefined {
  if (v === null || typeof v !== 'object') return undefined
  const s = v as Record<string, unknown>
  const scope = s.scope as Record<string, unknown> | null | undefined
  if (!str(s.id, 32) || !str(s.ruleId, 200) || !str(s.reason, 400) || !str(s.author, 40) || !num(s.createdAt) || !num(s.expiresAt)) return undefined
  if (scope === null || typeof scope !== 'object') return undefined
  const kind = scope.kind
  const silence: Silence = { id: s.id, ruleId: s.ruleId, reason: s.reason, author: s.author, createdAt: s.createdAt, expiresAt: s.expiresAt, scope: { kind: 'cluster' } }
  if (kind === 'service' && str(scope.cluster, 2048) && str(scope.service, 2048)) silence.scope = { kind, cluster: scope.cluster, service: scope.service }
  else if (kind === 'cluster' && str(scope.cluster, 2048)) silence.scope = { kind, cluster: scope.cluster }
  else if (kind === 'actor' && str(scope.actorArn, 2048)) silence.scope = { kind, actorArn: scope.actorArn }
  else return undefined
  const m = s.message as Record<string, unknown> | null | undefined
  if (m && typeof m === 'object' && str(m.channel, 40) && str(m.ts, 40) && typeof m.ref === 'string' && REF.test(m.ref)) silence.message = { channel: m.channel, ts: m.ts, ref: m.ref }
  const u = s.undone as Record<string, unknown> | null | undefined
  if (u && typeof u === 'object' && str(u.by, 40) && num(u.at)) silence.undone = { by: u.by, at: u.at }
  return silence
}

function silencesOf(value: unknown): Silence[] {
  const list = (value as { silences?: unknown } | null | undefined)?.silences
  return Array.isArray(list) ? list.map(asSilence).filter((s): s is Silence => s !== undefined) : []
}

/**
 * The silences in the shared state store (StateStore get/put, optimistic on the record's version), so every replica
 * sees each silence once it has read the record: there is no Scan, so all live in one small record. Writers retry on
 * a lost race; ended silences are pruned a day after their end.
 */
export class SilenceBook {
  constructor(private readonly store: StateStore) {}

  async read(now: number): Promise<Silence[]> {
    return silencesOf((await this.store.get(SILENCES_KEY, now))?.value)
  }

  /** Change the list with `edit` (which may throw to refuse) and write it back, retrying when another writer won. */
  private async change<T>(now: number, edit: (silences: Silence[]) => T): Promise<{ result: T, silences: Silence[] }> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const stored = await this.store.get(SILENCES_KEY, now)
      const silences = silencesOf(stored?.value).filter((s) => (s.undone?.at ?? s.expiresAt) + KEEP_ENDED_MS > now)
      const result = edit(silences)
      const value = { silences }
      if (JSON.stringify(value).length > MAX_RECORD_BYTES) throw new SilenceBookFull()
      const keepUntil = Math.max(now, ...silences.map((s) => s.expiresAt)) + KEEP_ENDED_MS
      if (await this.store.put(SILENCES_KEY, value, keepUntil, stored?.version, now)) return { result, silences }
    }
    throw new Error(`the silences record kept changing under ${ATTEMPTS} attempts; try again`)
  }

  async add(silence: Silence, now: number): Promise<Silence[]> {
    return (await this.change(now, (list) => { list.push(silence) })).silences
  }

  /** Undo: the silence stops applying now. Returns it, or undefined when it is unknown or already over. */
  async undo(id: string, by: string, now: number): Promise<{ silence: Silence | undefined, silences: Silence[] }> {
    const { result, silences } = await this.change(now, (list) => {
      const s = list.find((x) => x.id === id)
      if (!s || !isActive(s, now)) return undefined
      s.undone = { by, at: now }
      return s
    })
    return { silence: result, silences }
  }
}
