import type { PreviousState, TaskDefinitionState } from './change.js'
import type { ChangeTarget } from './changeTarget.js'
import { isPlainObject } from '../json.js'

/** The store key holding the "before" of a target: the service's own, the previous revision's, the overridden definition's. */
export function previousKeyOf(target: ChangeTarget): string | undefined {
  return target.kind === 'taskDefinition' ? target.previousKey : target.key
}

/**
 * A remembered (or looked-up) value as the previous state of a target; undefined when it is not shaped like one (a
 * record written by another version, a damaged item): then the previous state is unknown, never half-read.
 */
export function asPrevious(target: ChangeTarget, value: unknown, source: 'snapshot' | 'ecs'): PreviousState | undefined {
  if (!isPlainObject(value)) return undefined
  if (target.kind === 'service') return { kind: 'service', source, state: value }
  if (!isPlainObject(value.containers) || !isPlainObject(value.volumes)) return undefined
  return { kind: 'taskDefinition', source, state: value as unknown as TaskDefinitionState }
}
