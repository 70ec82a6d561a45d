import type { NormalisedEvent } from '../intake/types.js'
import type { Change, ServiceState, TaskDefinitionState } from './change.js'
import { changeTarget } from './changeTarget.js'
import { deriveChange } from './deriveChange.js'
import { asPrevious, previousKeyOf } from './previousKey.js'
import { snapshotAfter } from './snapshotAfter.js'

export interface ChangeTracker {
  /** Derive the event's change from what earlier events left, set it on the event's context, remember what it leaves. */
  apply(event: NormalisedEvent): Change | undefined
}

/**
 * Changes over a stream of events in one process, the previous state taken only from earlier events of the same
 * stream (replay, explain, rule tests: offline, no ECS call). Bounded: the oldest resources are forgotten first.
 */
export function createChangeTracker(maxEntries = 10_000): ChangeTracker {
  const states = new Map<string, ServiceState | TaskDefinitionState>()
  return {
    apply(event) {
      const target = changeTarget(event.record, event.context)
      if (!target) return undefined
      const key = previousKeyOf(target)
      const previous = key === undefined ? undefined : asPrevious(target, states.get(key), 'snapshot')
      const change = deriveChange(event.record, event.context, previous)
      if (change) event.context.change = change
      const snapshot = snapshotAfter(event.record, target, previous)
      if (snapshot) {
        states.delete(snapshot.key)
        states.set(snapshot.key, snapshot.value)
        if (states.size > maxEntries) states.delete(states.keys().next().value as string)
      }
      return change
    },
  }
}
