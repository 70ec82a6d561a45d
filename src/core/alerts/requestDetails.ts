import type { CloudTrailRecord } from '../intake/types.js'
import { redactSecrets } from './redact.js'
import { asArray as arr, asObject as obj, valueAtPath, lookup } from '../json.js'

/** A short display of a value: scalars as they are, lists joined, objects as compact JSON; secrets redacted. */
export function display(value: unknown, max = 300): string {
  const text =
    typeof value === 'string'
      ? value
      : Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)
        ? value.map(String).join(', ')
        : JSON.stringify(value)
  const redacted = redactSecrets(text)
  return redacted.length > max ? `${redacted.slice(0, max - 13)}… (truncated)` : redacted
}

/** Per API, the request parameters a responder needs first (ECS API reference request syntax). */
const IMPORTANT: Record<string, Array<[string, string]>> = {
  CreateService: [['desiredCount', 'desired count'], ['taskDefinition', 'task definition'], ['enableExecuteCommand', 'ECS Exec'], ['networkConfiguration.awsvpcConfiguration.assignPublicIp', 'public IP'], ['launchType', 'launch type']],
  UpdateService: [['desiredCount', 'desired count'], ['taskDefinition', 'task definition'], ['enableExecuteCommand', 'ECS Exec'], ['networkConfiguration.awsvpcConfiguration.assignPublicIp', 'public IP'], ['forceNewDeployment', 'force new deployment']],
  DeleteService: [['force', 'force']],
  RunTask: [['taskDefinition', 'task definition'], ['count', 'count'], ['enableExecuteCommand', 'ECS Exec'], ['networkConfiguration.awsvpcConfiguration.assignPublicIp', 'public IP'], ['overrides.taskRoleArn', 'task role override']],
  StartTask: [['taskDefinition', 'task definition'], ['containerInstances', 'container instances'], ['enableExecuteCommand', 'ECS Exec']],
  StopTask: [['task', 'task'], ['reason', 'reason']],
  ExecuteCommand: [['container', 'container'], ['command', 'command'], ['interactive', 'interactive']],
  CreateCluster: [['settings', 'settings'], ['capacityProviders', 'capacity providers']],
  UpdateClusterSettings: [['settings', 'settings']],
  PutAccountSetting: [['name', 'setting'], ['value', 'value'], ['principalArn', 'principal']],
  PutAccountSettingDefault: [['name', 'setting'], ['value', 'value']],
  DeleteAccountSetting: [['name', 'setting'], ['principalArn', 'principal']],
  PutClusterCapacityProviders: [['capacityProviders', 'capacity providers'], ['defaultCapacityProviderStrategy', 'default strategy']],
  DeleteCapacityProvider: [['capacityProvider', 'capacity provider']],
  RegisterTaskDefinition: [['networkMode', 'network mode'], ['pidMode', 'PID mode'], ['ipcMode', 'IPC mode'], ['cpu', 'CPU'], ['memory', 'memory'], ['taskRoleArn', 'task role'], ['executionRoleArn', 'execution role']],
}

/** Containers of a task definition: image, privileged, added capabilities, and environment variable NAMES only. */
function containerDetails(req: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const c of arr(req.containerDefinitions).slice(0, 5)) {
    const def = obj(c)
    if (!def) continue
    const facts = [display(def.image ?? '?', 200)]
    if (def.privileged === true) facts.push('privileged')
    const caps = arr(valueAtPath(def, 'linuxParameters.capabilities.add'))
    if (caps.length) facts.push(`adds ${caps.map(String).join(', ')}`)
    // Environment values are never shown: a task definition is where people paste credentials.
    const env = arr(def.environment).map((e) => obj(e)?.name).filter((n): n is string => typeof n === 'string')
    if (env.length) facts.push(`env ${env.slice(0, 10).join(', ')}${env.length > 10 ? ` (+${env.length - 10})` : ''} (values hidden)`)
    const command = arr(def.command).concat(arr(def.entryPoint))
    if (command.length) facts.push(`command ${display(command, 200)}`)
    out.push([`container ${display(def.name ?? '?', 60)}`, facts.join(' · ')])
  }
  const hostPaths = arr(req.volumes).map((v) => valueAtPath(v, 'host.sourcePath')).filter((p): p is string => typeof p === 'string')
  if (hostPaths.length) out.push(['host volumes', display(hostPaths)])
  return out
}

/** The request parameters that matter for this call, as label/value pairs. */
export function requestDetails(record: CloudTrailRecord): Array<[string, string]> {
  const req = obj(record.requestParameters)
  if (!req) return []
  const wanted = lookup(IMPORTANT, record.eventName)
  const out: Array<[string, string]> = []
  if (wanted) {
    for (const [path, label] of wanted) {
      const v = valueAtPath(req, path)
      if (v !== undefined && v !== null) out.push([label, display(v)])
    }
  } else {
    for (const [k, v] of Object.entries(req).slice(0, 6)) if (v !== null && typeof v !== 'object') out.push([k, display(v)])
  }
  if (record.eventName === 'RegisterTaskDefinition') out.push(...containerDetails(req))
  return out
}
