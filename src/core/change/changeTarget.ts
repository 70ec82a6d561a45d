import type { CloudTrailRecord, EventContext } from '../intake/types.js'
import { sha256Hex } from '../digest.js'
import { asObject as obj, nonEmptyString as str } from '../json.js'
import { revisionOf, taskDefinitionRef } from './serviceStateOf.js'

/** The ECS calls a change is derived for. */
export const CHANGE_EVENTS: ReadonlySet<string> = new Set([
  'CreateService', 'UpdateService', 'DeleteService', 'UpdateServicePrimaryTaskSet', 'RegisterTaskDefinition', 'RunTask',
])

/**
 * What previous state an event's change needs, and under which store key. Keys are digests of account, region and
 * resource (the StateStore takes no raw event text); `lookup` is what an ECS call would ask for.
 */
export type ChangeTarget =
  | { kind: 'service', key: string, cluster: string, service: string, account?: string, region?: string }
  /** RegisterTaskDefinition of family:revision: the previous revision's snapshot (`previousKey`) is what it is compared with. */
  | { kind: 'taskDefinition', key?: string, family: string, revision?: number, previousKey?: string, previousRef?: string }
  /** RunTask with overrides: the task definition it overrides. */
  | { kind: 'task', key: string, taskDefinition: string }

const where = (c: EventContext) => `${c.account ?? '?'}\n${c.region ?? '?'}`
export const serviceKey = (c: EventContext, cluster: string, service: string) => `rec#chg#svc#${sha256Hex(`${where(c)}\n${cluster}\n${service}`, 32)}`
export const taskDefinitionKey = (c: EventContext, ref: string) => `rec#chg#td#${sha256Hex(`${where(c)}\n${ref}`, 32)}`

/** The change target of a record, or undefined when no change is derived for it (another call, a failed call). */
export function changeTarget(record: CloudTrailRecord, context: EventContext): ChangeTarget | undefined {
  if (record.eventSource !== 'ecs.amazonaws.com' || !CHANGE_EVENTS.has(record.eventName)) return undefined
  if (record.errorCode !== undefined && record.errorCode !== null) return undefined
  const { ecs } = context
  switch (record.eventName) {
    case 'RegisterTaskDefinition': {
      const ref = ecs.taskDefinition
      const family = str(obj(obj(record.responseElements)?.taskDefinition)?.family) ?? str(obj(record.requestParameters)?.family)
      const revision = revisionOf(ref)
      if (!family) return undefined
      // Without the response (dropped as too long) the revision is unknown: the change shows the request side only.
      if (revision === undefined) return { kind: 'taskDefinition', family }
      const target: ChangeTarget = { kind: 'taskDefinition', key: taskDefinitionKey(context, `${family}:${revision}`), family, revision }
      if (revision > 1) {
        target.previousRef = `${family}:${revision - 1}`
        target.previousKey = taskDefinitionKey(context, target.previousRef)
      }
      return target
    }
    case 'RunTask': {
      const overrides = obj(obj(record.requestParameters)?.overrides)
      if (!overrides || Object.keys(overrides).length === 0) return undefined
      const task = obj(Array.isArray(obj(record.responseElements)?.tasks) ? (obj(record.responseElements)?.tasks as unknown[])[0] : undefined)
      const ref = taskDefinitionRef(task?.taskDefinitionArn) ?? ecs.taskDefinition
      if (!ref || revisionOf(ref) === undefined) return undefined
      return { kind: 'task', key: taskDefinitionKey(context, ref), taskDefinition: ref }
    }
    default: {
      if (!ecs.cluster || !ecs.service) return undefined
      const target: ChangeTarget = { kind: 'service', key: serviceKey(context, ecs.cluster, ecs.service), cluster: ecs.cluster, service: ecs.service }
      if (context.account) target.account = context.account
      if (context.region) target.region = context.region
      return target
    }
  }
}
