import type { CloudTrailRecord, EventContext } from '../intake/types.js'
import { inOwnEcr } from '../intake/externalImages.js'
import { asArray as arr, asObject as obj, nonEmptyString as str } from '../json.js'
import type { Change, ContainerChange, PreviousState, ServiceState, TaskDefinitionState } from './change.js'
import { changeTarget } from './changeTarget.js'
import { diffContainer, diffTaskDefinitions } from './diffTaskDefinitions.js'
import { fieldChange, setChange } from './fieldChange.js'
import { revisionOf, serviceStateOf, taskDefinitionRef } from './serviceStateOf.js'
import { containerStateOf, taskDefinitionStateOf } from './taskDefinitionStateOf.js'

/** CloudTrail drops a field over its size limit and writes `{"omitted": true, …}` in its place. */
const isOmitted = (v: unknown): boolean => obj(v)?.omitted === true

/** The parts of the record CloudTrail dropped, by path. */
function omittedParts(record: CloudTrailRecord): string[] {
  const out: string[] = []
  const req = record.requestParameters
  const res = record.responseElements
  if (isOmitted(req)) out.push('requestParameters')
  if (isOmitted(res)) out.push('responseElements')
  for (const key of ['service', 'taskDefinition', 'taskSet'])
    if (isOmitted(obj(res)?.[key])) out.push(`responseElements.${key}`)
  for (const key of ['containerDefinitions', 'overrides', 'networkConfiguration'])
    if (isOmitted(obj(req)?.[key])) out.push(`requestParameters.${key}`)
  return out
}

/** The object unless CloudTrail dropped it. */
const kept = (v: unknown): Record<string, unknown> | undefined => (isOmitted(v) ? undefined : obj(v))

const SERVICE_FIELDS = ['taskDefinition', 'desiredCount', 'launchType', 'capacityProviderStrategy', 'assignPublicIp', 'enableExecuteCommand', 'deployment', 'primaryTaskSet'] as const

/** Where the previous state is not known: why ("unknown": nothing remembered and no lookup; "unavailable": it failed). */
function unknownSource(previous: PreviousState | undefined): Pick<Change, 'previous' | 'unavailable'> {
  if (previous?.kind === 'unavailable') return { previous: 'unavailable', unavailable: `previous state unavailable: ${previous.reason}` }
  return { previous: 'unknown' }
}

/**
 * The previous side a service call's own event holds: while a new deployment rolls out, responseElements.service
 * .deployments[] lists the PRIMARY (the new definition) and the ACTIVE one being replaced, with its task definition,
 * launch type, capacity provider strategy and network configuration (ECS API reference, Deployment). The previous
 * desiredCount is not there.
 */
function previousFromDeployments(service: Record<string, unknown> | undefined): ServiceState | undefined {
  const deployments = arr(service?.deployments).map(obj)
  const primary = deployments.find((d) => d?.status === 'PRIMARY')
  const active = deployments.find((d) => d?.status === 'ACTIVE')
  if (!primary || !active) return undefined
  const state = serviceStateOf(active)
  delete state.desiredCount
  return state
}

function serviceChange(record: CloudTrailRecord, resource: string, previous: PreviousState | undefined, omitted: string[]): Change {
  const name = record.eventName
  const req = kept(record.requestParameters) ?? {}
  const res = kept(record.responseElements)
  const service = kept(res?.service)
  const action: Change['action'] = name === 'CreateService' ? 'create' : name === 'DeleteService' ? 'delete' : 'update'
  const change: Change = { kind: 'service', action, resource, previous: 'unknown' }
  if (omitted.length) change.omitted = omitted

  const after = serviceStateOf(service)
  const requested = serviceStateOf(req)
  if (name === 'UpdateServicePrimaryTaskSet') {
    const taskSet = kept(res?.taskSet)
    const primary = str(req.primaryTaskSet)
    if (primary) requested.primaryTaskSet = primary
    const td = taskDefinitionRef(taskSet?.taskDefinition)
    if (td) requested.taskDefinition = td
  }
  // A request may name a family without a revision (the latest ACTIVE one): the response says which revision it was.
  if (requested.taskDefinition !== undefined && revisionOf(requested.taskDefinition) === undefined && after.taskDefinition) {
    requested.taskDefinition = after.taskDefinition
  }
  const fromEvent = action === 'update' ? previousFromDeployments(service) : action === 'delete' ? after : undefined
  const snapshot = previous?.kind === 'service' ? previous.state : undefined
  const used = { event: false, snapshot: false }
  /** A field's previous value: the event's own other side first, then the snapshot or ECS answer, else unknown. */
  const setField = <K extends keyof ServiceState>(key: K): { from: ServiceState[K], known: boolean } => {
    if (action === 'create') return { from: undefined, known: true }
    if (fromEvent && fromEvent[key] !== undefined) {
      used.event = true
      return { from: fromEvent[key], known: true }
    }
    if (snapshot) {
      used.snapshot = true
      return { from: snapshot[key], known: true }
    }
    return { from: undefined, known: false }
  }
  // The fields the call set: for an update, those in its request; for a create, all; for a delete, what it removes.
  const target: ServiceState = action === 'create' ? { ...after, ...requested } : action === 'delete' ? {} : requested
  const keys = action === 'delete'
    ? SERVICE_FIELDS.filter((k) => (fromEvent?.[k] ?? snapshot?.[k]) !== undefined && (k === 'taskDefinition' || k === 'desiredCount'))
    : SERVICE_FIELDS.filter((k) => target[k] !== undefined)
  for (const key of keys) {
    const to = target[key]
    const { from, known } = setField(key)
    if (key === 'desiredCount') {
      const count = fieldChange(to as number | undefined, from as number | undefined, known)
      if (known && typeof from === 'number' && from > 0 && typeof to === 'number') change.desiredCount = { ...count, ratio: to / from }
      else change.desiredCount = count
    } else if (key === 'taskDefinition') {
      const td = fieldChange(to as string | undefined, from as string | undefined, known)
      change.taskDefinition = { ...td, revision: fieldChange(revisionOf(to as string | undefined), revisionOf(from as string | undefined), known) }
    } else {
      ;(change as unknown as Record<string, unknown>)[key] = fieldChange(to, from, known)
    }
  }
  for (const key of ['subnets', 'securityGroups'] as const) {
    const to = target[key]
    if (to === undefined) continue
    const { from, known } = setField(key)
    change[key] = known ? { ...setChange(to, from ?? []), known } : { added: [], removed: [], known }
  }
  if (used.event) change.previous = 'event'
  else if (used.snapshot && previous?.kind === 'service') change.previous = previous.source
  else if (action === 'create') change.previous = 'none'
  else if (keys.length > 0) Object.assign(change, unknownSource(previous))
  return change
}

function taskDefinitionChange(
  record: CloudTrailRecord, context: EventContext, resource: string, previous: PreviousState | undefined, omitted: string[],
): Change {
  const req = kept(record.requestParameters)
  const res = kept(record.responseElements)
  const after = taskDefinitionStateOf(kept(res?.taskDefinition), req)
  const revision = revisionOf(resource)
  if (after.revision === undefined && revision !== undefined) after.revision = revision
  const change: Change = { kind: 'taskDefinition', action: 'register', resource, previous: 'unknown' }
  if (omitted.length) change.omitted = omitted
  if (revision === 1) {
    Object.assign(change, diffTaskDefinitions(after, undefined, true))
    change.previous = 'none'
  } else if (previous?.kind === 'taskDefinition') {
    Object.assign(change, diffTaskDefinitions(after, previous.state, true))
    change.previous = previous.source
  } else {
    Object.assign(change, diffTaskDefinitions(after, undefined, false), unknownSource(previous))
  }
  // With the containers dropped from the event, the new side is not known either: say nothing was added.
  if (omitted.includes('requestParameters.containerDefinitions') || (req === undefined && Object.keys(after.containers).length === 0)) {
    delete change.added
    delete change.removed
    change.containers = []
  }
  if (change.added?.images) {
    const external = change.added.images.filter((i) => !inOwnEcr(i, context.account))
    if (external.length) change.added.externalImages = external
  }
  return change
}

/** RunTask's overrides against the task definition they override: role, command, environment, cpu and memory. */
function taskChange(record: CloudTrailRecord, resource: string, previous: PreviousState | undefined, omitted: string[]): Change | undefined {
  const overrides = kept(obj(kept(record.requestParameters)?.overrides))
  if (!overrides) return undefined
  const td: TaskDefinitionState | undefined = previous?.kind === 'taskDefinition' ? previous.state : undefined
  const known = td !== undefined
  const change: Change = { kind: 'task', action: 'run', resource, previous: known && previous?.kind === 'taskDefinition' ? previous.source : 'unknown' }
  if (!known) Object.assign(change, unknownSource(previous))
  if (omitted.length) change.omitted = omitted
  for (const key of ['taskRoleArn', 'executionRoleArn', 'cpu', 'memory'] as const) {
    const to = str(overrides[key])
    if (to) change[key] = fieldChange(to, td?.[key], known)
  }
  const containers: ContainerChange[] = []
  for (const o of arr(overrides.containerOverrides)) {
    const override = obj(o)
    const name = str(override?.name)
    if (!override || !name) continue
    const base = td && Object.hasOwn(td.containers, name) ? td.containers[name] : undefined
    // The override replaces the command and adds to or replaces environment variables; everything else is the definition's.
    const overridden = containerStateOf({ ...override, image: base?.image })
    const merged = { ...(base ?? overridden), env: { ...base?.env, ...overridden.env } }
    if (Array.isArray(override.command)) merged.command = overridden.command
    if (overridden.cpu !== undefined) merged.cpu = overridden.cpu
    if (overridden.memory !== undefined) merged.memory = overridden.memory
    const c = diffContainer(name, merged, base, known && base !== undefined)
    if (c.status === 'unknown') {
      c.env = { added: Object.keys(overridden.env).sort(), removed: [] }
      if (overridden.command) c.command = fieldChange(overridden.command, undefined, false)
    }
    containers.push(c)
  }
  if (containers.length) change.containers = containers
  const env = [...new Set(containers.flatMap((c) => (c.status === 'unknown' ? [] : (c.env?.added ?? []))))].sort()
  if (known) {
    change.added = {}
    if (env.length) change.added.env = env
    if (change.taskRoleArn?.changed === true) change.added.taskRole = true
  }
  return change
}

/**
 * What an ECS call changed, from → to. Pure: `previous` is what the edge found (a snapshot from an earlier event, an
 * ECS answer, nothing, or why a lookup failed); the record's own both-sides data wins over it. Undefined for calls no
 * change is derived for. Never guesses: a side that is not known is marked `known: false`.
 */
export function deriveChange(record: CloudTrailRecord, context: EventContext, previous?: PreviousState): Change | undefined {
  const target = changeTarget(record, context)
  if (!target) return undefined
  const omitted = omittedParts(record)
  switch (target.kind) {
    case 'service':
      return serviceChange(record, `${target.cluster}/${target.service}`, previous, omitted)
    case 'taskDefinition':
      return taskDefinitionChange(record, context, target.revision === undefined ? target.family : `${target.family}:${target.revision}`, previous, omitted)
    case 'task':
      return taskChange(record, target.taskDefinition, previous, omitted)
  }
}
