import { redactSecrets } from '../alerts/redact.js'
import { asArray, asObject as obj, nonEmptyString as str } from '../json.js'
import type { CloudTrailRecord } from '../intake/types.js'

/**
 * What one ECS call changed, in words, from its own request and response: task definition revision, image, desired
 * count, network, exec. Deliberately small and on its own, so a fuller before→after module can replace it: what the
 * event does not say (the desired count before the first change seen) comes from earlier rows of the same history,
 * passed in as `before`, else is shown as unknown.
 *
 * UpdateService's responseElements.service is the service after the call (ECS API Reference, UpdateService response),
 * so the state after a call is read from the response when there is one.
 */
export interface ServiceState {
  taskDefinition?: string
  desiredCount?: number
  network?: string
  exec?: boolean
}

export interface ChangeSummary {
  text: string
  /** The service's state after the call, as far as the call says. */
  after?: ServiceState
  /** A task definition revision this call registered, and its images (container=image). */
  registered?: { taskDefinition: string, images: string[] }
}

export interface Known {
  /** The service's state before the call, from earlier rows. */
  before: ServiceState | undefined
  /** The images of a revision registered earlier in the history (web:44 → ['web=…:1.42.0']). */
  imagesOf: (taskDefinition: string) => readonly string[] | undefined
  /** The newest revision of a family registered earlier in the history. */
  latestOf: (family: string) => string | undefined
}

/** task-definition/web:44 (ARN) or web:44 → web:44. */
const revisionName = (value: unknown): string | undefined => {
  const s = str(value)
  if (!s) return undefined
  const i = s.indexOf(':task-definition/')
  return i >= 0 ? s.slice(i + ':task-definition/'.length) : s
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)

const onOff = (b: boolean | undefined) => (b === undefined ? '?' : b ? 'on' : 'off')

/** An awsvpc network configuration as one phrase: subnets, security groups, public IP. */
function networkOf(value: unknown): string | undefined {
  const vpc = obj(obj(value)?.awsvpcConfiguration)
  if (!vpc) return undefined
  const list = (v: unknown) => asArray(v).map((x) => str(x)).filter((x) => x !== undefined).join(',')
  // Subnet and security group ids name themselves (subnet-…, sg-…); assignPublicIp defaults to DISABLED (ECS API Reference, AwsVpcConfiguration).
  return [list(vpc.subnets) || 'subnets ?', list(vpc.securityGroups) || 'security groups ?', `public IP ${str(vpc.assignPublicIp) ?? 'DISABLED'}`].join(' ')
}

const imagesIn = (definitions: unknown): string[] =>
  asArray(definitions).map((c) => obj(c)).filter((c) => c !== undefined).map((c) => `${str(c.name) ?? '?'}=${str(c.image) ?? '?'}`)

const arrow = (from: string | number | undefined, to: string | number) => (from === undefined ? `→ ${to}` : from === to ? `${to} (unchanged)` : `${from} → ${to}`)

/** Image changes between two revisions' container=image lists, by container name. */
function imageChanges(from: readonly string[] | undefined, to: readonly string[] | undefined): string[] {
  if (!from || !to) return []
  const before = new Map(from.map((x) => [x.split('=')[0], x.slice(x.indexOf('=') + 1)] as const))
  return to.flatMap((x) => {
    const name = x.split('=')[0] ?? '?'
    const image = x.slice(x.indexOf('=') + 1)
    const old = before.get(name)
    if (old === image) return []
    if (old === undefined) return [`image ${name}: (new container) ${image}`]
    // Same repository, new tag (the usual deploy): the tags side by side, the repository once.
    const repo = (ref: string) => ref.replace(/[:@][^:/@]*$/, '')
    return [repo(old) === repo(image) && repo(image) !== image
      ? `image ${name}: ${old.slice(repo(old).length + 1)} → ${image.slice(repo(image).length + 1)} (${repo(image)})`
      : `image ${name}: ${old} → ${image}`]
  })
}

function serviceAfter(record: CloudTrailRecord): ServiceState {
  const service = obj(obj(record.responseElements)?.service)
  const after: ServiceState = {}
  const td = revisionName(service?.taskDefinition)
  if (td) after.taskDefinition = td
  const desired = count(service?.desiredCount)
  if (desired !== undefined) after.desiredCount = desired
  const network = networkOf(service?.networkConfiguration)
  if (network) after.network = network
  if (typeof service?.enableExecuteCommand === 'boolean') after.exec = service.enableExecuteCommand
  return after
}

function createService(record: CloudTrailRecord, req: Record<string, unknown>): ChangeSummary {
  const after = { ...serviceAfter(record) }
  after.taskDefinition ??= revisionName(req.taskDefinition)
  after.desiredCount ??= count(req.desiredCount)
  after.network ??= networkOf(req.networkConfiguration)
  if (after.exec === undefined && typeof req.enableExecuteCommand === 'boolean') after.exec = req.enableExecuteCommand
  const parts = ['created']
  if (after.taskDefinition) parts.push(`task definition ${after.taskDefinition}`)
  if (after.desiredCount !== undefined) parts.push(`desired count ${after.desiredCount}`)
  if (after.network) parts.push(`network ${after.network}`)
  parts.push(`exec ${onOff(after.exec ?? false)}`)
  return { text: parts.join(' · '), after: strip(after) }
}

function updateService(record: CloudTrailRecord, req: Record<string, unknown>, known: Known): ChangeSummary {
  const before = known.before ?? {}
  const after = { ...before, ...serviceAfter(record) }
  const parts: string[] = []
  const td = revisionName(req.taskDefinition)
  if (td) {
    // A bare family (taskDefinition: "web") means its latest ACTIVE revision: the response names which.
    const to = after.taskDefinition && td.includes(':') ? td : (after.taskDefinition ?? td)
    parts.push(`task definition ${arrow(before.taskDefinition, to)}`)
    parts.push(...imageChanges(before.taskDefinition ? known.imagesOf(before.taskDefinition) : undefined, known.imagesOf(to)))
    after.taskDefinition = to
  }
  const desired = count(req.desiredCount)
  if (desired !== undefined) {
    parts.push(`desired count ${arrow(before.desiredCount, desired)}`)
    after.desiredCount = desired
  }
  const network = networkOf(req.networkConfiguration)
  if (network) {
    parts.push(`network ${before.network && before.network !== network ? `${before.network} → ` : ''}${network}`)
    after.network = network
  }
  if (typeof req.enableExecuteCommand === 'boolean') {
    parts.push(`exec ${before.exec === undefined ? '→ ' : before.exec === req.enableExecuteCommand ? '' : `${onOff(before.exec)} → `}${onOff(req.enableExecuteCommand)}${before.exec === req.enableExecuteCommand ? ' (unchanged)' : ''}`)
    after.exec = req.enableExecuteCommand
  }
  if (req.forceNewDeployment === true) parts.push('new deployment forced')
  if (parts.length === 0) {
    const keys = Object.keys(req).filter((k) => k !== 'cluster' && k !== 'service' && k !== 'forceNewDeployment')
    parts.push(keys.length > 0 ? `updated ${keys.slice(0, 6).join(', ')}` : 'updated (nothing named)')
  }
  return { text: parts.join(' · '), after: strip(after) }
}

function registerTaskDefinition(record: CloudTrailRecord, req: Record<string, unknown>, known: Known): ChangeSummary {
  const res = obj(obj(record.responseElements)?.taskDefinition)
  const family = str(res?.family) ?? str(req.family) ?? '?'
  const revision = res?.revision
  const taskDefinition = typeof revision === 'number' || typeof revision === 'string' ? `${family}:${String(revision)}` : family
  const images = imagesIn(res?.containerDefinitions ?? req.containerDefinitions)
  const previous = known.latestOf(family)
  const changes = imageChanges(previous ? known.imagesOf(previous) : undefined, images)
  const text = [`registered ${taskDefinition}`, ...(changes.length > 0 ? changes : images.map((i) => `image ${i.replace('=', ': ')}`))].join(' · ')
  return { text, registered: { taskDefinition, images } }
}

/** Remove undefined members (exactOptionalPropertyTypes). */
function strip(s: ServiceState): ServiceState {
  const out: ServiceState = {}
  if (s.taskDefinition !== undefined) out.taskDefinition = s.taskDefinition
  if (s.desiredCount !== undefined) out.desiredCount = s.desiredCount
  if (s.network !== undefined) out.network = s.network
  if (s.exec !== undefined) out.exec = s.exec
  return out
}

/** The change one call made. Pure and total: a field of an unexpected type is left out, never thrown on. */
export function summariseChange(record: CloudTrailRecord, known: Known): ChangeSummary {
  const req = obj(record.requestParameters) ?? {}
  const summary = ((): ChangeSummary => {
    switch (record.eventName) {
      case 'CreateService':
        return createService(record, req)
      case 'UpdateService':
        return updateService(record, req, known)
      case 'DeleteService':
        return { text: `deleted${req.force === true ? ' (force)' : ''}`, after: {} }
      case 'RegisterTaskDefinition':
        return registerTaskDefinition(record, req, known)
      case 'DeregisterTaskDefinition':
        return { text: `deregistered ${revisionName(req.taskDefinition) ?? '?'}` }
      case 'DeleteTaskDefinitions':
        return { text: `deleted ${asArray(req.taskDefinitions).map(revisionName).filter((x) => x !== undefined).join(', ') || '?'}` }
      case 'RunTask':
        return { text: `ran ${count(req.count) ?? 1} task(s) of ${revisionName(req.taskDefinition) ?? '?'}${networkOf(req.networkConfiguration) ? ` · network ${networkOf(req.networkConfiguration) ?? ''}` : ''}${req.enableExecuteCommand === true ? ' · exec on' : ''}` }
      case 'StopTask':
        return { text: `stopped a task${str(req.reason) ? `: ${str(req.reason) ?? ''}` : ''}` }
      case 'ExecuteCommand':
        return { text: `exec into ${str(req.container) ?? 'a container'}: ${str(req.command) ?? '?'}` }
      default:
        return { text: record.eventName }
    }
  })()
  return { ...summary, text: redactSecrets(summary.text) }
}
