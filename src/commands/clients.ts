import { AthenaClient } from '@aws-sdk/client-athena'
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { ECSClient } from '@aws-sdk/client-ecs'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { SQSClient } from '@aws-sdk/client-sqs'
import { SocketModeClient } from '@slack/socket-mode'
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
      paths: ['token', '*.token', 'SLACK_BOT_TOKEN', '*.SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', '*.SLACK_APP_TOKEN', 'appToken', '*.appToken', 'headers.authorization', '*.headers.authorization', 'config.headers.Authorization'],
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

/**
 * The Socket Mode client (SLACK_APP_TOKEN) for alert actions. autoReconnectEnabled: false — the connection
 * (sinks/slack/socket/socketConnection.ts) reconnects itself with backoff, because the library's own reconnect leaves
 * a failed restart as an unhandled rejection. Its logger is the Web API client's: payload lines dropped, tokens scrubbed.
 */
export function createSocketModeClient(appToken: string, log: Logger, slackApiUrl?: string, clientPingTimeoutMs = 5_000): SocketModeClient {
  return new SocketModeClient({
    appToken,
    logger: createSlackLogger(log),
    autoReconnectEnabled: false,
    clientPingTimeout: clientPingTimeoutMs,
    clientOptions: { ...(slackApiUrl ? { slackApiUrl } : {}), timeout: 10_000, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 } },
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
 * A CloudTrail client for one region's Event history (LookupEvents). maxAttempts 1: the SDK's own retries would bypass
 * the 2-requests-a-second limiter, so the caller retries through it (src/sources/eventHistory/lookupRegion.ts).
 * AWS_ENDPOINT_URL_CLOUDTRAIL is the SDK's standard endpoint override, passed from the command's environment.
 */
export function createCloudTrailClient(
  region: string,
  endpoint: string | undefined,
  credentials?: { accessKeyId: string, secretAccessKey: string, sessionToken?: string },
): CloudTrailClient {
  return new CloudTrailClient({ region, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}), maxAttempts: 1 })
}

/**
 * The DynamoDB client for the shared state (TRAILWARDEN_STATE_TABLE). AWS_ENDPOINT_URL_DYNAMODB is honoured by the
 * SDK itself (service-specific endpoints: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html;
 * @smithy/core's getEndpointUrlConfig reads AWS_ENDPOINT_URL_<SERVICE ID>). Short timeouts and two attempts: a
 * delivery waits on the store, and an unreachable table must show as such within seconds (the message is then left
 * in the queue and retried), not after the SDK's default socket timeouts.
 */
export function createDynamoClient(
  region: string | undefined,
  options: { endpoint?: string | undefined, credentials?: { accessKeyId: string, secretAccessKey: string } } = {},
): DynamoDBClient {
  return new DynamoDBClient({
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  })
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
