import { ConfigError } from '../errors.js'
import { type RunEnv, envSchema, SECRET_VARS } from './envSchema.js'
import { regionOfQueueUrl } from './regionOfQueueUrl.js'

/**
 * The environment → the daemon's settings, or a ConfigError listing every problem at once (each variable's own,
 * then those between variables). Secret values are never quoted.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): RunEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = envSchema.safeParse(present)
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? 'environment')
        if (present[name] === undefined) return `${name} is required`
        const message = i.message.replace(/^Invalid input: /, '')
        if (message.startsWith(name)) return message
        return SECRET_VARS.has(name) ? `${name}: ${message}` : `${name} is ${JSON.stringify(present[name])}: ${message}`
      })
  const queueUrlValid = parsed.success || !parsed.error.issues.some((i) => i.path[0] === 'TRAILWARDEN_QUEUE_URL')
  if (queueUrlValid) problems.push(...regionProblems(present))
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems)
  const result = parsed.data
  result.AWS_REGION ??= regionOfQueueUrl(result.TRAILWARDEN_QUEUE_URL)
  return result
}

/**
 * The SDK needs a region to sign requests; without one every poll fails ("Region is missing") and the daemon loops
 * on warnings with /healthz green. It comes from AWS_REGION or the queue URL; when neither gives one (an emulator or
 * proxy URL), refuse to start.
 */
function regionProblems(present: Record<string, string | undefined>): string[] {
  const queueUrl = present.TRAILWARDEN_QUEUE_URL
  if (present.AWS_REGION !== undefined || queueUrl === undefined || regionOfQueueUrl(queueUrl) !== undefined) return []
  const via = present.AWS_ENDPOINT_URL_SQS !== undefined ? ' (with AWS_ENDPOINT_URL_SQS set, it names the emulator or proxy, not AWS)' : ''
  return [`AWS_REGION is required: no region can be read from TRAILWARDEN_QUEUE_URL${via} — set AWS_REGION, e.g. us-east-1`]
}
