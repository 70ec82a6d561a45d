import type { Change, ContainerChange, FieldChange, SetChange } from './change.js'
import { imageRef } from './imageRef.js'

/** Most lines a change shows: the first ones say the most (the resource-level fields, then each container). */
export const MAX_CHANGE_LINES = 24

const UNKNOWN = 'previous value unknown'

const val = (v: unknown): string => (v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v))

/** `name from → to`, `name ? → to (previous value unknown)`, or nothing when known and unchanged. */
function fromTo(name: string, f: FieldChange<unknown> | undefined, show: (v: unknown) => string = val): string | undefined {
  if (!f) return undefined
  if (!f.known) return `${name} ? → ${show(f.to)} (${UNKNOWN})`
  if (f.changed !== true) return undefined
  return `${name} ${show(f.from)} → ${show(f.to)}`
}

/** An image shortened to its last path segment (…/web:1.42) when both sides share a registry, in full otherwise. */
function imageLine(prefix: string, c: ContainerChange): string | undefined {
  const image = c.image
  if (!image) return undefined
  const fromRegistry = image.from === undefined ? undefined : imageRef(image.from).registry
  const short = (v: unknown) => {
    if (typeof v !== 'string') return val(v)
    const slash = v.lastIndexOf('/')
    return slash >= 0 && (fromRegistry === undefined || fromRegistry === image.registry) && image.from !== undefined ? `…${v.slice(slash)}` : v
  }
  if (c.status === 'added' || c.status === 'unknown') return undefined
  return fromTo(`${prefix}image`, image, short)
}

function setLines(prefix: string, what: string, s: SetChange | undefined, changedNote = ''): string[] {
  if (!s) return []
  return [
    ...s.added.map((n) => `${prefix}+ ${what} ${n}`),
    ...s.removed.map((n) => `${prefix}- ${what} ${n}`),
    ...(s.changed ?? []).map((n) => `${prefix}~ ${what} ${n}${changedNote}`),
  ]
}

function containerLines(c: ContainerChange, many: boolean): string[] {
  const prefix = many ? `${c.name}: ` : ''
  if (c.status === 'removed') return [`- container ${c.name}`]
  const lines: string[] = []
  if (c.status === 'added') lines.push(`+ container ${c.name}${c.image?.to ? ` (${c.image.to})` : ''}`)
  if (c.status === 'unknown') {
    if (c.image?.to) lines.push(`${prefix}image ${c.image.to} (${UNKNOWN})`)
    if (c.env?.added.length) lines.push(...c.env.added.map((n) => `${prefix}env ${n} set`))
    if (c.command) lines.push(`${prefix}command overridden`)
    return lines
  }
  const image = imageLine(prefix, c)
  if (image) lines.push(image)
  if (c.image?.changed === false && c.image.digest?.changed === true) lines.push(`${prefix}image digest ${val(c.image.digest.from)} → ${val(c.image.digest.to)}`)
  if (c.privileged?.changed === true) lines.push(`${prefix}${c.privileged.to === true ? '+' : '-'} privileged`)
  lines.push(...setLines(prefix, 'env', c.env, ' (value changed)'))
  lines.push(...setLines(prefix, 'secret', c.secrets))
  lines.push(...setLines(prefix, 'capability', c.capabilities))
  lines.push(...setLines(prefix, 'mount', c.mounts))
  for (const [name, f] of [['user', c.user], ['cpu', c.cpu], ['memory', c.memory]] as const) {
    const line = fromTo(`${prefix}${name}`, f)
    if (line) lines.push(line)
  }
  if (c.command?.changed === true) lines.push(`${prefix}command changed`)
  return lines
}

/**
 * A change as short lines for people (`desiredCount 3 → 0`, `image …/web:1.41 → …/web:1.42`, `+ env FEATURE_X`,
 * `+ privileged`). Plain text, not yet escaped or redacted: the alert builder does both. Environment values never
 * appear (the change holds none).
 */
export function describeChange(change: Change): string[] {
  const lines: string[] = []
  if (change.unavailable) lines.push(change.unavailable)
  if (change.omitted?.length) lines.push(`CloudTrail dropped ${change.omitted.join(', ')} as too long: what it held is unknown`)
  if (change.action === 'create') lines.push(`service ${change.resource} created`)
  if (change.action === 'delete') lines.push(`service ${change.resource} deleted`)
  if (change.kind === 'taskDefinition' && change.previous === 'none') lines.push(`${change.resource}: first revision of the family`)
  // A revision whose predecessor was not found: one line says so, and only the images follow (every other field
  // would read "? → x", which says nothing the request does not).
  if (change.kind === 'taskDefinition' && change.revision?.known === false) {
    const before = change.revision.to !== undefined && change.revision.to > 1 ? ` (revision ${change.revision.to - 1})` : ''
    lines.push(`${UNKNOWN}${before}: compared with nothing`)
    const containers = change.containers ?? []
    for (const c of containers) if (c.image?.to) lines.push(`${containers.length > 1 ? `${c.name}: ` : ''}image ${c.image.to}`)
    return bounded(lines)
  }
  const field = (name: string, f: FieldChange<unknown> | undefined) => {
    const line = change.action === 'create' ? (f?.to === undefined ? undefined : `${name} ${val(f.to)}`) : fromTo(name, f)
    if (line) lines.push(line)
  }
  if (change.kind === 'taskDefinition' && change.revision && change.previous !== 'none') field('revision', change.revision)
  field('taskDefinition', change.taskDefinition)
  field('desiredCount', change.desiredCount)
  field('launchType', change.launchType)
  field('capacityProviderStrategy', change.capacityProviderStrategy)
  field('assignPublicIp', change.assignPublicIp)
  for (const [name, s] of [['subnet', change.subnets], ['securityGroup', change.securityGroups]] as const) {
    if (!s) continue
    if (!s.known) lines.push(`${name}s set (${UNKNOWN})`)
    else lines.push(...setLines('', name, s))
  }
  field('enableExecuteCommand', change.enableExecuteCommand)
  field('deployment', change.deployment)
  field('primaryTaskSet', change.primaryTaskSet)
  for (const key of ['taskRoleArn', 'executionRoleArn', 'networkMode', 'pidMode', 'cpu', 'memory'] as const) field(key, change[key])
  const containers = change.containers ?? []
  const many = containers.length > 1
  for (const c of containers) lines.push(...containerLines(c, many))
  for (const path of change.added?.hostMounts ?? []) lines.push(`+ host mount ${path}`)
  return bounded(lines)
}

const bounded = (lines: string[]): string[] =>
  lines.length > MAX_CHANGE_LINES ? [...lines.slice(0, MAX_CHANGE_LINES - 1), `…and ${lines.length - MAX_CHANGE_LINES + 1} more changes`] : lines
