import type { CloudTrailRecord } from '../intake/types.js'
import type { Detail } from './alert.js'
import { asText, bounded } from './asText.js'
import { redactSecrets } from './redact.js'
import { asArray as arr, asObject as obj, valueAtPath, lookup } from '../json.js'

/**
 * A short display of any value: scalars as they are, lists of scalars joined, anything else as compact JSON; secrets
 * redacted; bounded. Only a margin past `max` is redacted, so a 1 MB value costs no more than a short one, and a
 * secret that straddles the cut is still seen whole (the margin is longer than any shape but a private key, whose
 * pattern also matches an unterminated block).
 */
export function display(value: unknown, max = 300, separator = ', '): string {
  const text = Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)
    ? value.map(asText).join(separator)
    : asText(value)
  return bounded(redactSecrets(text.length > max + 512 ? text.slice(0, max + 512) : text), max)
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

/** A request key whose value is a secret whatever it looks like (an unknown API's parameters are shown by key). */
const SECRET_KEY = /password|passwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential/i

/**
 * Containers of a task definition: name, image, privileged, added capabilities, and environment variable NAMES only.
 * The label is trailwarden's ("container"); the container's own name is event text, so it goes in the value.
 */
function containerDetails(req: Record<string, unknown>): Detail[] {
  const out: Detail[] = []
  for (const c of arr(req.containerDefinitions).slice(0, 5)) {
    const def = obj(c)
    if (!def) continue
    const facts = [`${display(def.name ?? '?', 60)}: ${display(def.image ?? '?', 200)}`]
    if (def.privileged === true) facts.push('privileged')
    const caps = arr(valueAtPath(def, 'linuxParameters.capabilities.add'))
    if (caps.length) facts.push(`adds ${display(caps, 200)}`)
    // Environment values are never shown: a task definition is where people paste credentials.
    const env = arr(def.environment).map((e) => obj(e)?.name).filter((n): n is string => typeof n === 'string')
    if (env.length) facts.push(`env ${display(env.slice(0, 10), 300)}${env.length > 10 ? ` (+${env.length - 10})` : ''} (values hidden)`)
    // The argv the container runs: entryPoint, then command, shown as a shell shows it (space-separated), so that
    // ["app", "--password", "x"] reads — and is redacted — as `app --password x` (issue 16: joined with commas, the
    // flag's value escaped the flag rule).
    const command = arr(def.entryPoint).concat(arr(def.command))
    if (command.length) facts.push(`command ${display(command, 200, ' ')}`)
    out.push(['container', facts.join(' · ')])
  }
  const hostPaths = arr(req.volumes).map((v) => valueAtPath(v, 'host.sourcePath')).filter((p): p is string => typeof p === 'string')
  if (hostPaths.length) out.push(['host volumes', display(hostPaths)])
  return out
}

/**
 * The request parameters that matter for this call, as label/value pairs. Total: any JSON in any parameter gives
 * rows, never a throw. For an API without a list, the first scalar parameters are shown by their own keys, which are
 * event text: such rows are marked so renderers show the key inert.
 */
export function requestDetails(record: CloudTrailRecord): Detail[] {
  const req = obj(record.requestParameters)
  if (!req) return []
  const eventName = asText(record.eventName)
  const wanted = lookup(IMPORTANT, eventName)
  const out: Detail[] = []
  if (wanted) {
    for (const [path, label] of wanted) {
      const v = valueAtPath(req, path)
      if (v !== undefined && v !== null) out.push([label, display(v)])
    }
  } else {
    for (const [k, v] of Object.entries(req).slice(0, 6)) {
      if (v === null || typeof v === 'object') continue
      out.push([display(k, 60), SECRET_KEY.test(k) ? '‹redacted›' : display(v), 'event'])
    }
  }
  if (eventName === 'RegisterTaskDefinition') out.push(...containerDetails(req))
  return out
}
