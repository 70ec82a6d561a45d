import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { SendMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import {
  type CfnTemplate, type ContainerDefinition, type ContainerProcess, containerProcess, type Image, layOut, logicalId, readImage, taskContainer,
} from '../../scripts/deployedTask.mjs'
import { type EmbeddedSqs, startEmbeddedSqs } from '../../src/local/embeddedSqs.js'
import { startEventBridgeDouble, type EventBridgeDouble } from '../support/eventBridgeDouble.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { until } from '../support/daemonHarness.js'

/**
 * A node binary the task's user (uid 1000) may run: this process's own when it and every folder above it are open to
 * others, else a copy in a world-readable folder. CI runs the suite a second time on Node 22 from `npx -p node@22`,
 * whose binary lives under /root/.npm, which uid 1000 cannot enter (spawn fails with EACCES, exit -13).
 */
let runnableNode: string | undefined
function nodeForTaskUser(uid: number | undefined): string {
  if (uid === undefined || uid === process.getuid?.()) return process.execPath
  if (runnableNode) return runnableNode
  const open = (path: string): boolean => (statSync(path).mode & 0o001) !== 0
  let ok = open(process.execPath)
  for (let dir = dirname(process.execPath); ok && dir !== dirname(dir); dir = dirname(dir)) ok = open(dir)
  if (ok) return (runnableNode = process.execPath)
  const dir = mkdtempSync(join(tmpdir(), 'trailwarden-node-'))
  process.once('exit', () => { rmSync(dir, { recursive: true, force: true }) })
  chmodSync(dir, 0o755)
  const copy = join(dir, 'node')
  copyFileSync(process.execPath, copy)
  chmodSync(copy, 0o755)
  return (runnableNode = copy)
}

export const ROOT = resolve(import.meta.dirname, '../..')
export const TEMPLATE_PATH = join(ROOT, 'deploy/template/Trailwarden.template.json')
/** A bot token of the real shape (the daemon checks it), known to the Slack double. */
export const BOT_TOKEN = 'xoxb-123456789012-123456789012-abcdefghijklmnopqrstuvwx'
const REGION = 'eu-west-1'

/** The stack's parameters a user passes (cloudformation deploy --parameter-overrides); the rest keep their defaults. */
export const PARAMETERS = {
  ClusterName: 'prod',
  VpcId: 'vpc-0123456789abcdef0',
  SubnetIds: 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2',
  ImageUri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/trailwarden:3f9c2e1',
  SlackTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:trailwarden/slack-bot-token-AbCdEf',
  SlackDefaultChannel: '#alerts',
}

const require = createRequire(import.meta.url)
/** dynalite has no types: its factory returns a node:http server. */
const dynalite = require('dynalite') as (options: { createTableMs: number, deleteTableMs: number, updateTableMs: number }) => Server

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A port nothing listens on: calls to it are refused at once, so nothing leaves loopback. */
async function refusedEndpoint(): Promise<string> {
  const server = createServer()
  const url = await listen(server)
  server.close()
  await once(server, 'close')
  return url
}

export interface BootedTask {
  child: ChildProcess
  process: ContainerProcess
  container: ContainerDefinition
  url: string
  slack: SlackDouble
  sqs: EmbeddedSqs
  eventBridge: EventBridgeDouble
  queueUrl: string
  logs(): string
  /** Send a body to the queue as EventBridge's SQS target does (the event JSON as the message body). */
  send(body: string): Promise<void>
  /** Messages visible or in flight on the queue. */
  queued(): Promise<number>
  /** The container's health check command, run as the container runs it. */
  healthCheck(): Promise<number>
  stop(): Promise<number | null>
}

export interface BootOptions {
  /** The image's Dockerfiles, base first (trailwarden's, then a team's FROM it). */
  layers?: Array<{ dockerfile: string, context: string }>
  /**
   * The image's WORKDIR laid out already (container-check's runtime stage: a real `npm ci --omit=dev`), instead of
   * laying it out from the repository (dist and node_modules linked).
   */
  appDir?: string
}

/**
 * Start the task the synthesized template describes: its image (the Dockerfiles), its environment, secrets, user,
 * entry point and command, with only the AWS and Slack endpoints and the secret values replaced — SQS by fauxqs
 * (the queue made as the template makes it), EventBridge by the double holding the template's rule, DynamoDB by
 * dynalite holding the template's table, credentials from a container credentials endpoint as ECS gives them,
 * Slack by the Slack double, and ECS on a refused loopback port.
 */
export async function bootAsDeployed(options: BootOptions = {}): Promise<BootedTask> {
  const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as CfnTemplate
  const layers = options.layers ?? [{ dockerfile: join(ROOT, 'Dockerfile'), context: ROOT }]
  const image: Image = readImage(layers, { '/app/dist': join(ROOT, 'dist') })
  const laidOut = options.appDir
    ? { root: options.appDir, local: (p: string) => (p === image.workdir || p.startsWith(`${image.workdir}/`) ? join(options.appDir!, p.slice(image.workdir.length)) : p) }
    : layOut(image, { '/app/node_modules': join(ROOT, 'node_modules'), '/app/dist': join(ROOT, 'dist') })

  const queueId = logicalId(template, 'AWS::SQS::Queue', (r) => 'RedrivePolicy' in r.Properties)
  const queueProps = template.Resources[queueId]!.Properties as { VisibilityTimeout: number, RedrivePolicy: { maxReceiveCount: number } }
  const ruleId = logicalId(template, 'AWS::Events::Rule')
  const tableId = logicalId(template, 'AWS::DynamoDB::Table')

  const sqs = await startEmbeddedSqs({ region: REGION })
  const { queueUrl } = await sqs.createQueueWithDlq('Trailwarden-Queue', {
    maxReceiveCount: queueProps.RedrivePolicy.maxReceiveCount,
    visibilityTimeoutSeconds: queueProps.VisibilityTimeout,
  })
  const slack = await startSlackDouble({ validToken: BOT_TOKEN })
  const eventBridge = await startEventBridgeDouble()
  const ruleName = 'Trailwarden-Rule4C995B7F-1A2B3C4D5E6F'
  const rule = template.Resources[ruleId]!.Properties as { EventPattern: unknown, State: string }
  eventBridge.putRule({ Name: ruleName, EventPattern: JSON.stringify(rule.EventPattern), State: rule.State, EventBusName: 'default' })

  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  const dynamoUrl = await listen(dynamo)
  const tableName = 'Trailwarden-StateTable9728C7E5-ABCDEF123456'
  const table = template.Resources[tableId]!.Properties as Pick<CreateTableCommandInput, 'KeySchema' | 'AttributeDefinitions' | 'BillingMode'>
  const ddb = new DynamoDBClient({ endpoint: dynamoUrl, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
  await ddb.send(new CreateTableCommand({
    TableName: tableName, KeySchema: table.KeySchema, AttributeDefinitions: table.AttributeDefinitions, BillingMode: table.BillingMode,
  }))
  ddb.destroy()

  // ECS gives a task its role's credentials through the container credentials endpoint (the SDK's default chain
  // reads it); a loopback URI is the form the SDK accepts over plain HTTP.
  const credentials = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ AccessKeyId: 'ASIAEXAMPLETASKROLE1', SecretAccessKey: 'task-role-secret', Token: 'task-role-session-token', Expiration: new Date(Date.now() + 3_600_000).toISOString() }))
  })
  const credentialsUrl = await listen(credentials)

  const container = taskContainer(template, {
    ...PARAMETERS,
    'AWS::Region': REGION,
    'AWS::AccountId': '111122223333',
    'AWS::Partition': 'aws',
    [queueId]: queueUrl,
    [ruleId]: ruleName,
    [tableId]: tableName,
    // The awslogs driver's group: the log driver is the platform's, stdout here.
    [logicalId(template, 'AWS::Logs::LogGroup')]: 'Trailwarden-Logs6819BB44-AbCdEf',
  })
  const port = new URL(await refusedEndpoint()).port
  const proc = containerProcess(image, container, laidOut, {
    secrets: { SLACK_BOT_TOKEN: BOT_TOKEN },
    endpoints: {
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
      AWS_ENDPOINT_URL_ECS: await refusedEndpoint(),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${credentialsUrl}/v2/credentials/task-role`,
      SLACK_API_URL: slack.url,
      // A shared machine: a free port instead of 8080, and loopback instead of 0.0.0.0.
      PORT: port,
      HOST: '127.0.0.1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  })
  const node = nodeForTaskUser(proc.uid)
  const child = spawn(proc.argv[0] === process.execPath ? node : proc.argv[0]!, proc.argv.slice(1), { cwd: proc.cwd, env: proc.env, uid: proc.uid, gid: proc.gid, stdio: ['ignore', 'pipe', 'pipe'] })
  const out: string[] = []
  child.stdout.on('data', (c: Buffer) => out.push(c.toString()))
  child.stderr.on('data', (c: Buffer) => out.push(c.toString()))
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => { ok(code) }))
  const client = sqs.client()
  const url = `http://127.0.0.1:${port}`
  let stopping: Promise<number | null> | undefined

  return {
    child,
    process: proc,
    container,
    url,
    slack,
    sqs,
    eventBridge,
    queueUrl,
    logs: () => out.join(''),
    async send(body) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    },
    async queued() {
      const a = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))
      return Number(a.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    },
    async healthCheck() {
      const [cmd, ...args] = proc.healthCheck ?? []
      if (cmd !== 'node') throw new Error('the task definition has no node health check')
      return promisify(execFile)(node, args, { uid: proc.uid, gid: proc.gid }).then(() => 0, (err: unknown) => (err as { code?: number }).code ?? 1)
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
        const code = await exited
        client.destroy()
        await Promise.all([sqs.stop(), slack.close(), eventBridge.close()])
        dynamo.close()
        credentials.close()
        if (!options.appDir) rmSync(laidOut.root, { recursive: true, force: true })
        return code
      })()
      return stopping
    },
  }
}

/** Wait for /readyz to answer 200, or fail with the process's output. */
export async function ready(task: BootedTask, timeoutMs = 40_000): Promise<void> {
  try {
    await until(async () => {
      if (task.child.exitCode !== null) throw new Error(`the task exited ${task.child.exitCode}`)
      return fetch(`${task.url}/readyz`).then((r) => r.status === 200, () => false)
    }, timeoutMs, '/readyz 200')
  } catch (err) {
    const readyz = await fetch(`${task.url}/readyz`).then((r) => r.text(), () => 'no answer')
    throw new Error(`${(err as Error).message}; /readyz: ${readyz}; output:\n${task.logs()}`, { cause: err })
  }
}
