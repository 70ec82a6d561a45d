import { z } from 'zod'
import { slackTokenProblem } from './slackTokenProblem.js'

/**
 * The daemon's environment variables. The README's configuration table is checked against this list by a test,
 * so the two cannot drift.
 */
export const ENV_VARS = {
  TRAILWARDEN_QUEUE_URL: { required: true, description: 'URL of the SQS queue the EventBridge rule feeds.', example: 'https://sqs.eu-west-1.amazonaws.com/111122223333/trailwarden' },
  AWS_REGION: { required: false, description: 'The queue\'s region (default: taken from the queue URL; required when the URL names none, as with an emulator).', example: 'eu-west-1' },
  AWS_ENDPOINT_URL_SQS: { required: false, description: 'The AWS SDK\'s standard endpoint override for SQS (an emulator, a VPC endpoint).', example: 'http://127.0.0.1:4566' },
  SLACK_BOT_TOKEN: { required: false, description: 'Bot token (xoxb-…, or xoxe.xoxb-… with token rotation: it expires after 12 hours and whatever rotates it must restart the task). Absent: alerts go to stdout, with a warning at start.', example: 'xoxb-…' },
  SLACK_APP_TOKEN: { required: false, description: 'App-level token (xapp-…, scope connections:write): alerts carry Acknowledge, Silence and That was me buttons, over a Socket Mode connection (no public endpoint). Absent: alerts have no buttons.', example: 'xapp-…' },
  SLACK_API_URL: { required: false, description: 'Override Slack\'s Web API base URL (tests, proxies).', example: 'https://slack.com/api/' },
  TRAILWARDEN_RULES: { required: false, description: 'Folder of rule files.', example: './rules' },
  TRAILWARDEN_CONFIG: { required: false, description: 'trailwarden.yaml (environments, lists, routes, …).', example: '/etc/trailwarden/trailwarden.yaml' },
  TRAILWARDEN_SLACK_DEFAULT_CHANNEL: { required: false, description: 'Channel for alerts no route claims; overrides `slack.defaultChannel` of trailwarden.yaml (a deployment parameter: the stack\'s SlackDefaultChannel). Read once: changing it needs a restart.', example: '#alerts' },
  TRAILWARDEN_POLLERS: { required: false, description: 'Long polls in flight at once.', example: '2' },
  TRAILWARDEN_MAX_IN_FLIGHT: { required: false, description: 'Most messages in work at once (backpressure).', example: '100' },
  TRAILWARDEN_SHUTDOWN_SECONDS: { required: false, description: 'On SIGTERM, how long work in hand may take before unfinished messages are released.', example: '20' },
  TRAILWARDEN_EVENTBRIDGE_RULE: { required: false, description: 'Name of the EventBridge rule feeding the queue: checked against the rules at start and hourly (drift shows on /readyz and in Slack).', example: 'trailwarden' },
  TRAILWARDEN_EVENTBRIDGE_BUS: { required: false, description: 'That rule\'s event bus.', example: 'default' },
  AWS_ENDPOINT_URL_EVENTBRIDGE: { required: false, description: 'The AWS SDK\'s standard endpoint override for EventBridge.', example: 'http://127.0.0.1:4010' },
  TRAILWARDEN_STATE_TABLE: { required: false, description: 'DynamoDB table shared by every replica (partition key pk, TTL on expiresAt): each alert is posted once across replicas and restarts, one dedup thread and one digest per group, each system notice once. Absent: state lives in this process\'s memory (one replica).', example: 'trailwarden-state' },
  TRAILWARDEN_STATE_LEASE_SECONDS: { required: false, description: 'How long a replica\'s claim on a delivery holds before another replica may take it over (its owner died mid-post).', example: '180' },
  AWS_ENDPOINT_URL_DYNAMODB: { required: false, description: 'The AWS SDK\'s standard endpoint override for DynamoDB (an emulator, a VPC endpoint).', example: 'http://127.0.0.1:8000' },
  TRAILWARDEN_CHANGE_LOOKUPS: { required: false, description: 'Where the change context (an alert\'s "Changed" section) may look for a previous state it has not seen: `ecs` (DescribeTaskDefinition and the service deployment APIs, 1.5 s deadline, failing open) or `off` (snapshots of earlier events only). Default `ecs`.', example: 'off' },
  AWS_ENDPOINT_URL_ECS: { required: false, description: 'The AWS SDK\'s standard endpoint override for ECS (the change context\'s lookups).', example: 'http://127.0.0.1:4011' },
  PORT: { required: false, description: 'HTTP port for /healthz, /readyz and /metrics.', example: '8080' },
  HOST: { required: false, description: 'HTTP listen address.', example: '0.0.0.0' },
  LOG_LEVEL: { required: false, description: 'pino level: fatal, error, warn, info, debug, trace.', example: 'info' },
} as const

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

/** An http(s) URL with a host: zod's url() alone accepts javascript:, file: and mailto: URLs. */
const httpUrl = (name: string, example: string) =>
  z.url({ protocol: /^https?$/, hostname: /^.+$/, error: `${name} must be an http(s) URL with a host, e.g. ${example}` })

export const envSchema = z.object({
  TRAILWARDEN_QUEUE_URL: httpUrl('TRAILWARDEN_QUEUE_URL', 'https://sqs.eu-west-1.amazonaws.com/111122223333/trailwarden'),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ENDPOINT_URL_SQS: httpUrl('AWS_ENDPOINT_URL_SQS', 'http://127.0.0.1:4566').optional(),
  SLACK_BOT_TOKEN: z.string().superRefine((token, ctx) => {
    const problem = slackTokenProblem(token)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  }).optional(),
  SLACK_APP_TOKEN: z.string().superRefine((token, ctx) => {
    if (/\s/.test(token)) ctx.addIssue({ code: 'custom', message: 'SLACK_APP_TOKEN contains whitespace (a trailing newline from the secret?) — remove it' })
    else if (!/^xapp-[0-9A-Za-z-]+$/.test(token)) ctx.addIssue({ code: 'custom', message: 'SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write, from the app\'s Basic Information page' })
  }).optional(),
  SLACK_API_URL: httpUrl('SLACK_API_URL', 'https://slack.com/api/').optional(),
  TRAILWARDEN_RULES: z.string().min(1).default('rules'),
  TRAILWARDEN_CONFIG: z.string().min(1).optional(),
  TRAILWARDEN_SLACK_DEFAULT_CHANNEL: z.string().trim().min(1).optional(),
  TRAILWARDEN_POLLERS: int(1, 20).default(2),
  TRAILWARDEN_MAX_IN_FLIGHT: int(1, 10_000).default(100),
  TRAILWARDEN_SHUTDOWN_SECONDS: int(1, 600).default(20),
  TRAILWARDEN_EVENTBRIDGE_RULE: z.string().min(1).optional(),
  TRAILWARDEN_EVENTBRIDGE_BUS: z.string().min(1).default('default'),
  AWS_ENDPOINT_URL_EVENTBRIDGE: httpUrl('AWS_ENDPOINT_URL_EVENTBRIDGE', 'http://127.0.0.1:4010').optional(),
  TRAILWARDEN_STATE_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'TRAILWARDEN_STATE_TABLE must be a DynamoDB table name (3–255 letters, digits, _ . -)').optional(),
  TRAILWARDEN_STATE_LEASE_SECONDS: int(1, 3_600).default(180),
  AWS_ENDPOINT_URL_DYNAMODB: httpUrl('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:8000').optional(),
  TRAILWARDEN_CHANGE_LOOKUPS: z.enum(['ecs', 'off']).default('ecs'),
  AWS_ENDPOINT_URL_ECS: httpUrl('AWS_ENDPOINT_URL_ECS', 'http://127.0.0.1:4011').optional(),
  PORT: int(0, 65_535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

/** Variables whose values never appear in a message. */
export const SECRET_VARS: ReadonlySet<string> = new Set(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'])

export type RunEnv = z.output<typeof envSchema>
