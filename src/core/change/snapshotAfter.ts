import type { CloudTrailRecord } from '../intake/types.js'
import { asObject as obj, nonEmptyString as str } from '../json.js'
import type { PreviousState, ServiceState, TaskDefinitionState } from './change.js'
import type { ChangeTarget } from './changeTarget.js'
import { serviceStateOf, taskDefinitionRef } from './serviceStateOf.js'
import { taskDefinitionStateOf } from './taskDefinitionStateOf.js'

const kept = (v: unknown): Record<string, unknown> | undefined => (obj(v)?.omitted === true ? undefined : obj(v))

/** What the store keeps after an event: the state it leaves (undefined: nothing worth keeping). */
export type Snapshot = { key: string, value: ServiceState | TaskDefinitionState }

/**
 * The state an event leaves behind, to be the "before" of the next change: a service as UpdateService/CreateService
 * answered it (or, without the answer, the previous state with the request applied); a task definition revision as
 * registered (environment values as digests only). Pure.
 */
export function snapshotAfter(record: CloudTrailRecord, target: ChangeTarget, previous: PreviousState | undefined): Snapshot | undefined {
  const req = kept(record.requestParameters)
  const res = kept(record.responseElements)
  if (target.kind === 'taskDefinition') {
    // Only a revision whose containers the event holds is worth keeping (CloudTrail may have dropped them).
    const containers = Array.isArray(req?.containerDefinitions) || Array.isArray(obj(res?.taskDefinition)?.containerDefinitions)
    if (!target.key || !containers) return undefined
    return { key: target.key, value: taskDefinitionStateOf(kept(res?.taskDefinition), req) }
  }
  if (target.kind !== 'service' || record.eventName === 'DeleteService') return undefined
  const before = previous?.kind === 'service' ? previous.state : {}
  const service = kept(res?.service)
  if (service && record.eventName !== 'UpdateServicePrimaryTaskSet') return { key: target.key, value: serviceStateOf(service) }
  const applied: ServiceState = { ...before, ...serviceStateOf(req) }
  if (record.eventName === 'UpdateServicePrimaryTaskSet') {
    const primary = str(req?.primaryTaskSet)
    if (primary) applied.primaryTaskSet = primary
    const td = taskDefinitionRef(kept(res?.taskSet)?.taskDefinition)
    if (td) applied.taskDefinition = td
  }
  return { key: target.key, value: applied }
}
