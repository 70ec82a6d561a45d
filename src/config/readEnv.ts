import { ConfigError } from '../errors.js'
import { type RunEnv, envSchema } from './envSchema.js'

/** The region in an SQS queue URL: https://sqs.REGION.amazonaws.com/ACCOUNT/NAME. */
export function regionOfQueueUrl(url: string): string | undefined {
  return /^https?:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(url)?.[1]
}

/** The environment → the daemon's settings, or a ConfigError listing every problem at once. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): RunEnv {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment')
      if (present[name] === undefined) return `${name} is required`
      const message = i.message.replace(/^Invalid input: /, '')
      return message.startsWith(name) ? message : `${name} is ${JSON.stringify(present[name])}: ${message}`
    }))
  }
  const result = parsed.data
  if (!result.AWS_REGION) {
    const region = regionOfQueueUrl(result.TRAILWARDEN_QUEUE_URL)
    if (region) result.AWS_REGION = region
  }
  return result
}
