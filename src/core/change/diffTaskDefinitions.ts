import type { AddedSummary, Change, ContainerChange, ContainerState, ImageChange, TaskDefinitionState } from './change.js'
import { envChange, fieldChange, isEmptySet, setChange } from './fieldChange.js'
import { imageRef } from './imageRef.js'

type TaskDefinitionFields = Pick<Change, 'revision' | 'containers' | 'taskRoleArn' | 'executionRoleArn' | 'networkMode' | 'pidMode' | 'cpu' | 'memory' | 'volumes' | 'added' | 'removed'>

/** An image from → to, with its tag and digest compared on their own (a re-pushed tag changes only the digest). */
export function imageChange(to: string | undefined, from: string | undefined, known: boolean): ImageChange {
  const change: ImageChange = fieldChange(to, from, known)
  const after = to === undefined ? undefined : imageRef(to)
  const before = from === undefined ? undefined : imageRef(from)
  if (after) change.registry = after.registry
  if (after?.tag !== undefined || before?.tag !== undefined) change.tag = fieldChange(after?.tag, before?.tag, known)
  if (after?.digest !== undefined || before?.digest !== undefined) change.digest = fieldChange(after?.digest, before?.digest, known)
  return change
}

const EMPTY_CONTAINER: ContainerState = { env: {}, secrets: [], privileged: false, capabilities: [], mounts: [] }

/** One container compared with the same-named one before (absent before: every setting is new). */
export function diffContainer(name: string, after: ContainerState | undefined, before: ContainerState | undefined, known: boolean): ContainerChange {
  if (!known) {
    const change: ContainerChange = { name, status: 'unknown' }
    if (after?.image) change.image = imageChange(after.image, undefined, false)
    if (after) change.privileged = fieldChange(after.privileged, undefined, false)
    return change
  }
  const a = after ?? EMPTY_CONTAINER
  const b = before ?? EMPTY_CONTAINER
  const change: ContainerChange = { name, status: after === undefined ? 'removed' : before === undefined ? 'added' : 'same' }
  change.image = imageChange(after?.image, before?.image, true)
  change.privileged = fieldChange(a.privileged, b.privileged, true)
  change.env = envChange(a.env, b.env)
  change.secrets = setChange(a.secrets, b.secrets)
  change.capabilities = setChange(a.capabilities, b.capabilities)
  change.mounts = setChange(a.mounts, b.mounts)
  change.user = fieldChange(a.user, b.user, true)
  change.cpu = fieldChange(a.cpu, b.cpu, true)
  change.memory = fieldChange(a.memory, b.memory, true)
  change.command = fieldChange(a.command, b.command, true)
  const differs = change.image.changed === true || change.privileged.changed === true || change.user.changed === true
    || change.cpu.changed === true || change.memory.changed === true || change.command.changed === true
    || !isEmptySet(change.env) || !isEmptySet(change.secrets) || !isEmptySet(change.capabilities) || !isEmptySet(change.mounts)
  if (change.status === 'same' && differs) change.status = 'changed'
  return change
}

const union = (a: Iterable<string>, b: Iterable<string>): string[] => [...new Set([...a, ...b])]

/**
 * A new task definition revision against the previous one of its family. `before` undefined with `known` true: there
 * was no previous revision (revision 1), so everything is added. `known` false: the previous revision could not be
 * found, so only the new side is shown and nothing is said to be added.
 */
export function diffTaskDefinitions(after: TaskDefinitionState, before: TaskDefinitionState | undefined, known: boolean): TaskDefinitionFields {
  const out: TaskDefinitionFields = {}
  const prevRevision = before?.revision ?? (known && after.revision !== undefined && after.revision > 1 ? after.revision - 1 : undefined)
  out.revision = fieldChange(after.revision, prevRevision, known)
  const containerOf = (s: TaskDefinitionState | undefined, name: string) => (s && Object.hasOwn(s.containers, name) ? s.containers[name] : undefined)
  out.containers = union(Object.keys(after.containers), known && before ? Object.keys(before.containers) : [])
    .map((name) => diffContainer(name, containerOf(after, name), containerOf(before, name), known))
  for (const key of ['taskRoleArn', 'executionRoleArn', 'networkMode', 'pidMode', 'cpu', 'memory'] as const) {
    if (after[key] !== undefined || before?.[key] !== undefined) out[key] = fieldChange(after[key], before?.[key], known)
  }
  if (!known) return out
  const hostPaths = (s: TaskDefinitionState | undefined) => new Set(Object.values(s?.volumes ?? {}).filter((p) => p !== ''))
  const volumeText = (s: TaskDefinitionState | undefined) => Object.entries(s?.volumes ?? {}).map(([n, p]) => (p ? `${n}:${p}` : n))
  out.volumes = setChange(volumeText(after), volumeText(before))
  const previousHostPaths = hostPaths(before)
  const added: AddedSummary = {}
  const privileged = out.containers.some((c) => c.privileged?.to === true && c.privileged.from !== true)
  if (privileged) added.privileged = true
  const caps = [...new Set(out.containers.flatMap((c) => c.capabilities?.added ?? []))].sort()
  if (caps.length) added.capabilities = caps
  const hostMounts = [...hostPaths(after)].filter((p) => !previousHostPaths.has(p)).sort()
  if (hostMounts.length) added.hostMounts = hostMounts
  const env = [...new Set(out.containers.flatMap((c) => c.env?.added ?? []))].sort()
  if (env.length) added.env = env
  const secrets = [...new Set(out.containers.flatMap((c) => c.secrets?.added ?? []))].sort()
  if (secrets.length) added.secrets = secrets
  const images = [...new Set(out.containers.filter((c) => c.image?.changed === true && c.image.to !== undefined).map((c) => c.image?.to as string))]
  if (images.length) {
    added.images = images
    added.registries = [...new Set(images.map((i) => imageRef(i).registry))]
  }
  if (out.taskRoleArn?.changed === true && out.taskRoleArn.to !== undefined) added.taskRole = true
  out.added = added
  out.removed = {
    env: [...new Set(out.containers.flatMap((c) => c.env?.removed ?? []))].sort(),
    secrets: [...new Set(out.containers.flatMap((c) => c.secrets?.removed ?? []))].sort(),
  }
  return out
}
