import { AthenaClient } from '@aws-sdk/client-athena'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { SQSClient } from '@aws-sdk/client-sqs'
import { WebClient } from '@slack/web-api'
import { pino, type Logger } from 'pino'
import { createSlackLogger } from '../sinks/slack/slackLogger.js'

/**
 * The command layer is the only place that builds clients; everything else takes them as parameters.
 */

/** pino JSON logs; the Slack token is redacted wherever a log object could carry it. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'trailwarden' },
    redact: {
      paths: ['token', '*.token', 'SLACK_BOT_TOKEN', '*.SLACK_BOT_TOKEN', 'headers.authorization', '*.headers.authorization', 'config.headers.Authorization'],
      censor: '‹redacted›',
    },
  }
  return destination ? pino(options, destination) : pino(options)
}

/**
 * The Slack client for the daemon. rejectRateLimitedCalls: the default pauses the whole client for a 429 and
 * retries for up to 30 minutes (longer than any visibility timeout); the sink waits per channel instead.
 */
export function createSlackClient(token: string, log: Logger, slackApiUrl?: string): WebClient {
  return new WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    timeout: 10_000,
    // Never the library's own console logger: its debug level prints request bodies (see createSlackLogger).
    logger: createSlackLogger(log),
  })
}

/** The SQS client; AWS_ENDPOINT_URL_SQS is honoured by the SDK itself and passed explicitly too. */
export function createSqsClient(
  region: string | undefined,
  endpoint: string | undefined,
  credentials?: { accessKeyId: string, secretAccessKey: string },
): SQSClient {
  return new SQSClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 3,
  })
}

/** The EventBridge client (drift checks, publishing alerts); AWS_ENDPOINT_URL_EVENTBRIDGE is honoured by the SDK. */
export function createEventBridgeClient(region: string | undefined, credentials?: { accessKeyId: string, secretAccessKey: string }): EventBridgeClient {
  return new EventBridgeClient({ ...(region ? { region } : {}), ...(credentials ? { credentials } : {}), maxAttempts: 3 })
}

/**
 * The Athena client (trailwarden audit --engine athena): AWS_REGION, AWS_ENDPOINT_URL_ATHENA (the SDK's own override,
 * read from the command's environment), and keys from that environment when it holds them (else the SDK's chain).
 */
export function createAthenaClient(env: NodeJS.ProcessEnv): AthenaClient {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION
  const endpoint = env.AWS_ENDPOINT_URL_ATHENA
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined
  return new AthenaClient({ ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}), maxAttempts: 3 })
}
