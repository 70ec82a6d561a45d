import type { ServiceState } from './change.js'
import { asArray as arr, asObject as obj, nonEmptyString as str } from '../json.js'

/** task-definition ARN or family:revision → family:revision (the form the alert and the store use). */
export function taskDefinitionRef(value: unknown): string | undefined {
  const s = str(value)
  if (!s) return undefined
  const at = s.indexOf(':task-definition/')
  return at >= 0 ? s.slice(at + ':task-definition/'.length) : s
}

/** The revision number of family:revision, when it has one. */
export function revisionOf(ref: string | undefined): number | undefined {
  const m = ref === undefined ? null : /:(\d+)$/.exec(ref)
  return m ? Number(m[1]) : undefined
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined)

/** A capacity provider strategy as one comparable line: `FARGATE_SPOT weight 3 base 1, FARGATE weight 1`. */
export function strategyText(v: unknown): string | undefined {
  if (!Array.isArray(v)) return undefined
  return arr(v)
    .map((item) => {
      const s = obj(item) ?? {}
      const base = typeof s.base === 'number' && s.base > 0 ? ` base ${s.base}` : ''
      return `${str(s.capacityProvider) ?? '?'}${typeof s.weight === 'number' ? ` weight ${s.weight}` : ''}${base}`
    })
    .join(', ')
}

/** Deployment settings as one comparable line (ECS API reference, DeploymentConfiguration). */
export function deploymentText(config: unknown, controller?: unknown): string | undefined {
  const c = obj(config)
  const type = str(obj(controller)?.type)
  if (!c && !type) return undefined
  const parts: string[] = []
  if (type) parts.push(`controller ${type}`)
  if (c) {
    if (typeof c.maximumPercent === 'number') parts.push(`max ${c.maximumPercent}%`)
    if (typeof c.minimumHealthyPercent === 'number') parts.push(`min healthy ${c.minimumHealthyPercent}%`)
    const breaker = obj(c.deploymentCircuitBreaker)
    if (breaker) parts.push(`circuit breaker ${breaker.enable === true ? 'on' : 'off'}${breaker.rollback === true ? ' with rollback' : ''}`)
    if (str(c.strategy)) parts.push(`strategy ${String(c.strategy)}`)
    const alarms = obj(c.alarms)
    if (alarms) parts.push(`alarms ${alarms.enable === true ? 'on' : 'off'}`)
  }
  return parts.join(', ')
}

/**
 * A service as the store keeps it, from any object shaped like the ECS Service (UpdateService's response, a
 * CreateService request, a deployment, a service revision). Fields the object does not hold stay absent.
 */
export function serviceStateOf(value: unknown): ServiceState {
  const s = obj(value) ?? {}
  const state: ServiceState = {}
  const td = taskDefinitionRef(s.taskDefinition)
  if (td) state.taskDefinition = td
  if (typeof s.desiredCount === 'number') state.desiredCount = s.desiredCount
  const launchType = str(s.launchType)
  if (launchType) state.launchType = launchType
  const strategy = strategyText(s.capacityProviderStrategy)
  if (strategy !== undefined) state.capacityProviderStrategy = strategy
  const vpc = obj(obj(s.networkConfiguration)?.awsvpcConfiguration)
  if (vpc) {
    const ip = str(vpc.assignPublicIp)
    if (ip) state.assignPublicIp = ip
    const subnets = strings(vpc.subnets)
    if (subnets) state.subnets = [...subnets].sort()
    const groups = strings(vpc.securityGroups)
    if (groups) state.securityGroups = [...groups].sort()
  }
  if (typeof s.enableExecuteCommand === 'boolean') state.enableExecuteCommand = s.enableExecuteCommand
  const deployment = deploymentText(s.deploymentConfiguration, s.deploymentController)
  if (deployment) state.deployment = deployment
  const primary = str(s.primaryTaskSet)
  if (primary) state.primaryTaskSet = primary
  return state
}
