import type { ContainerState, TaskDefinitionState } from './change.js'
import { sha256Hex } from '../digest.js'
import { asArray as arr, asObject as obj, nonEmptyString as str, valueAtPath } from '../json.js'

const names = (list: unknown): string[] =>
  arr(list).map((e) => str(obj(e)?.name)).filter((n): n is string => n !== undefined)

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined)

/** cpu and memory of a task are strings in the API ("1024", "1 vCPU"); kept as text. */
const sizeText = (v: unknown): string | undefined => (typeof v === 'number' ? String(v) : str(v))

/** An argv as one line (how a shell shows it), for a changed/unchanged comparison. */
const argv = (entryPoint: unknown, command: unknown): string | undefined => {
  const words = [...arr(entryPoint), ...arr(command)].filter((w): w is string => typeof w === 'string')
  return words.length > 0 ? words.join(' ') : undefined
}

/**
 * One container definition as kept. Environment values are reduced to a digest at once (sha256, 16 hex characters):
 * enough to say that a value changed, never enough to show or recover it. A name the digest is keyed by is event text
 * too, so the map has no prototype (a `__proto__` variable is an ordinary entry).
 */
export function containerStateOf(value: unknown, digest: (text: string) => string = (t) => sha256Hex(t, 16)): ContainerState {
  const c = obj(value) ?? {}
  const env: Record<string, string> = Object.create(null) as Record<string, string>
  for (const e of arr(c.environment)) {
    const name = str(obj(e)?.name)
    if (name) env[name] = digest(JSON.stringify(obj(e)?.value ?? null))
  }
  const state: ContainerState = {
    env,
    secrets: names(c.secrets).sort(),
    privileged: c.privileged === true,
    capabilities: arr(valueAtPath(c, 'linuxParameters.capabilities.add')).filter((x): x is string => typeof x === 'string').sort(),
    mounts: arr(c.mountPoints)
      .map((m) => obj(m))
      .filter((m): m is Record<string, unknown> => m !== undefined)
      .map((m) => `${str(m.sourceVolume) ?? '?'}:${str(m.containerPath) ?? '?'}`)
      .sort(),
  }
  const image = str(c.image)
  if (image) state.image = image
  const user = str(c.user)
  if (user) state.user = user
  const cpu = num(c.cpu)
  if (cpu !== undefined) state.cpu = cpu
  const memory = num(c.memory)
  if (memory !== undefined) state.memory = memory
  const command = argv(c.entryPoint, c.command)
  if (command) state.command = command
  return state
}

/**
 * A task definition as kept, from an object shaped like the ECS TaskDefinition (RegisterTaskDefinition's request or
 * response, DescribeTaskDefinition's answer). `fallback` fills what `value` lacks: CloudTrail's response may hold only
 * the ARN, family and revision while the request holds the containers.
 */
export function taskDefinitionStateOf(value: unknown, fallback?: unknown, digest?: (text: string) => string): TaskDefinitionState {
  const t = obj(value) ?? {}
  const f = obj(fallback) ?? {}
  const pick = (key: string): unknown => (t[key] !== undefined ? t[key] : f[key])
  const containers: Record<string, ContainerState> = Object.create(null) as Record<string, ContainerState>
  const defs = Array.isArray(t.containerDefinitions) ? t.containerDefinitions : arr(f.containerDefinitions)
  for (const d of defs) {
    const name = str(obj(d)?.name)
    if (name) containers[name] = containerStateOf(d, digest)
  }
  const volumes: Record<string, string> = Object.create(null) as Record<string, string>
  for (const v of arr(Array.isArray(t.volumes) ? t.volumes : f.volumes)) {
    const name = str(obj(v)?.name)
    if (name) volumes[name] = str(valueAtPath(v, 'host.sourcePath')) ?? ''
  }
  const state: TaskDefinitionState = { volumes, containers }
  const family = str(pick('family'))
  if (family) state.family = family
  const revision = num(pick('revision'))
  if (revision !== undefined) state.revision = revision
  for (const key of ['taskRoleArn', 'executionRoleArn', 'networkMode', 'pidMode'] as const) {
    const v = str(pick(key))
    if (v) state[key] = v
  }
  const cpu = sizeText(pick('cpu'))
  if (cpu) state.cpu = cpu
  const memory = sizeText(pick('memory'))
  if (memory) state.memory = memory
  return state
}
