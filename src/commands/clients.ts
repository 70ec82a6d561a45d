import { ECSClient } from '@aws-sdk/client-ecs'
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
 * The ECS client for the change context's lookups (issue 20): short socket deadlines and one retry, because an alert
 * waits for the answer (it goes without one, saying so, when the call fails). AWS_ENDPOINT_URL_ECS is honoured by the
 * SDK itself.
 */
export function createEcsClient(
  region: string | undefined,
  credentials?: { accessKeyId: string, secretAccessKey: string },
  endpoint?: string,
): ECSClient {
  return new ECSClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_500 },
  })
}
