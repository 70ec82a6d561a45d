import type { PreviousState } from '../../core/change/change.js'
import { type ChangeTarget, changeTarget } from '../../core/change/changeTarget.js'
import { deriveChange } from '../../core/change/deriveChange.js'
import { asPrevious, previousKeyOf } from '../../core/change/previousKey.js'
import { snapshotAfter } from '../../core/change/snapshotAfter.js'
import type { NormalisedEvent } from '../../core/intake/types.js'
import type { RuleSet } from '../../core/rules/engine/ruleSet.js'
import { labelValue } from '../../metrics/createMetrics.js'
import type { StateStore } from '../../state/stateStore.js'
import type { EcsLookup, Lookup } from './createEcsLookup.js'
import { lookupReason } from './lookupReason.js'

export interface ChangeEnricherDeps {
  /** Where the last state seen per service and per task-definition revision is kept (values without env values). */
  store: StateStore
  /** ECS lookups when no snapshot holds the previous state; undefined: never call ECS (TRAILWARDEN_CHANGE_LOOKUPS=off). */
  ecs?: EcsLookup | undefined
  metrics?: { changeLookups: { inc(labels: { outcome: string }): void }, changeUnavailable: { inc(labels: { reason: string }): void } }
  log?: { warn(obj: object, msg: string): void }
  now?: () => number
  /** How long a snapshot is kept: a service untouched for longer is compared with ECS (or nothing). Default 30 days. */
  keepMs?: number
  /** Deadline of one state-store read or write (the alert waits for the read). Default 1 s. */
  storeTimeoutMs?: number
}

/** The enrich step: derive each event's change (setting `context.change`) before the pure decision. */
export type ChangeEnricher = (events: readonly NormalisedEvent[], ruleSet: RuleSet) => Promise<void> | undefined

const withDeadline = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => {
    const t = setTimeout(() => { reject(Object.assign(new Error(`${what} timed out`), { name: 'TimeoutError' })) }, ms)
    t.unref()
    void p.finally(() => { clearTimeout(t) }).catch(() => undefined)
  })])

/** A metric label for a reason: its first word, or `timeout` (label values stay few and short). */
const reasonLabel = (reason: string): string => (reason.startsWith('timed out') ? 'timeout' : labelValue(reason.split(' ')[0] ?? 'other'))

/**
 * The change context's edge (issue 20). For each event of the six ECS calls a change is derived for: read the previous
 * state from the store (snapshots fed by every such event); without one, ask ECS — only when a rule could alert on the
 * event (no rule, no alert, no renderer: no call) — then derive the change (core/change, pure) and keep the state the
 * event leaves. It fails open: a store or ECS failure becomes "previous state unavailable: <reason>" on the change, is
 * counted, and the alert goes on. Returns undefined, and so costs nothing, when no event of the batch is such a call.
 */
export function createChangeEnricher(deps: ChangeEnricherDeps): ChangeEnricher {
  const { store, ecs, metrics, log, now = Date.now, keepMs = 30 * 86_400_000, storeTimeoutMs = 1_000 } = deps

  const unavailable = (reason: string): PreviousState => {
    metrics?.changeUnavailable.inc({ reason: reasonLabel(reason) })
    return { kind: 'unavailable', reason }
  }

  const fromEcs = async (event: NormalisedEvent, target: ChangeTarget): Promise<PreviousState | undefined> => {
    if (!ecs) return undefined
    let answer: Lookup<unknown> | undefined
    const { context } = event
    // A full ARN, so an event from another account or region is never answered with this account's same-named family.
    const arn = (ref: string) => (context.account && context.region ? `arn:aws:ecs:${context.region}:${context.account}:task-definition/${ref}` : ref)
    if (target.kind === 'taskDefinition' && target.previousRef) answer = await ecs.taskDefinition(arn(target.previousRef))
    else if (target.kind === 'task') answer = await ecs.taskDefinition(arn(target.taskDefinition))
    else if (target.kind === 'service' && event.record.eventName === 'UpdateService') {
      const at = Date.parse(event.record.eventTime)
      if (Number.isFinite(at)) answer = await ecs.serviceBefore(target.cluster, target.service, at)
    }
    if (!answer) return undefined
    metrics?.changeLookups.inc({ outcome: answer.kind })
    if (answer.kind === 'unavailable') return unavailable(answer.reason)
    return answer.kind === 'found' ? asPrevious(target, answer.state, 'ecs') : undefined
  }

  const one = async (event: NormalisedEvent, target: ChangeTarget, needed: boolean): Promise<void> => {
    const key = previousKeyOf(target)
    let previous: PreviousState | undefined
    if (key !== undefined && (needed || target.kind === 'service')) {
      try {
        const stored = await withDeadline(store.get(key, now()), storeTimeoutMs, 'state store read')
        previous = stored === undefined ? undefined : asPrevious(target, stored.value, 'snapshot')
      } catch (err) {
        previous = unavailable(`state store: ${lookupReason(err, storeTimeoutMs)}`)
      }
    }
    // Ask ECS only when the event alone leaves the "before" unknown: not when it holds both sides (deployments[]),
    // creates the resource, or registers a family's first revision.
    if (previous === undefined && needed && deriveChange(event.record, event.context)?.previous === 'unknown') previous = await fromEcs(event, target)
    const change = deriveChange(event.record, event.context, previous)
    if (change) event.context.change = change
    const snapshot = snapshotAfter(event.record, target, previous)
    if (!snapshot) return
    const at = now()
    try {
      // Last writer wins: a snapshot is the latest state seen, and a lost race only means an older "before" once.
      const current = await withDeadline(store.get(snapshot.key, at), storeTimeoutMs, 'state store read')
      await withDeadline(store.put(snapshot.key, snapshot.value, at + keepMs, current?.version, at), storeTimeoutMs, 'state store write')
    } catch (err) {
      log?.warn({ eventKey: event.context.eventKey, reason: lookupReason(err, storeTimeoutMs) }, 'could not keep the state this event left (the next change of this resource may be unknown)')
    }
  }

  return (events, ruleSet) => {
    const work: Array<{ event: NormalisedEvent, target: ChangeTarget, needed: boolean }> = []
    for (const event of events) {
      const target = changeTarget(event.record, event.context)
      if (target) work.push({ event, target, needed: ruleSet.candidatesFor(event.record.eventSource, event.record.eventName).length > 0 })
    }
    if (work.length === 0) return undefined
    return (async () => {
      // In order: two events of one service in one message compare with each other.
      for (const w of work) {
        try {
          await one(w.event, w.target, w.needed)
        } catch (err) {
          // A defect here must not cost the alert: the event is decided without a change.
          log?.warn({ eventKey: w.event.context.eventKey, reason: lookupReason(err, 0) }, 'change context failed; the alert goes without it')
        }
      }
    })()
  }
}
