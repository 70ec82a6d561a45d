import type { NormalisedEvent } from '../intake/types.js'

/** Whose history: a service (its cluster optional), a task definition family, or both (their union). */
export interface HistoryTarget {
  cluster?: string
  service?: string
  family?: string
}

/** A task definition's family: web:44 → web. */
export const familyOf = (taskDefinition: string): string => taskDefinition.split(':')[0] ?? taskDefinition

/**
 * Whether a call belongs to the history: it changes something (read-only calls are not history) and it names the
 * service (in the cluster, when one is given) or a revision of the family — registrations, deregistrations, and
 * services switched to or tasks run from it.
 */
export function belongsTo(event: NormalisedEvent, target: HistoryTarget): boolean {
  if (!event.context.mutating) return false
  const { ecs } = event.context
  const service = target.service !== undefined && ecs.service === target.service && (target.cluster === undefined || ecs.cluster === target.cluster)
  const family = target.family !== undefined && ecs.taskDefinition !== undefined && familyOf(ecs.taskDefinition) === target.family
  return service || family
}
