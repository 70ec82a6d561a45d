import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * An Amazon ECS double on 127.0.0.1 for the real @aws-sdk/client-ecs (endpoint or AWS_ENDPOINT_URL_ECS). It speaks
 * the AWS JSON 1.1 protocol the SDK sends: POST /, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`; errors as HTTP 400 `{"__type": "<Code>", "message": …}`. It answers the
 * four reads the change context uses — DescribeTaskDefinition, ListServiceDeployments, DescribeServiceDeployments,
 * DescribeServiceRevisions — shaped like the ECS API reference's examples (timestamps as epoch seconds), and can be
 * told to fail (ClientException, ThrottlingException, AccessDeniedException) or to answer slowly.
 */
export interface EcsDouble {
  readonly url: string
  /** Every request: the operation (from X-Amz-Target), the headers that name the protocol, the JSON body. */
  readonly calls: Array<{ operation: string, target: string, contentType: string, body: Record<string, unknown> }>
  /** Serve a task definition (the API's TaskDefinition shape) as `family:revision` and by its ARN. */
  addTaskDefinition(taskDefinition: Record<string, unknown>): void
  /**
   * A deployment of a service from one service revision to another (ServiceDeployment / ServiceRevision shapes):
   * `source` and `target` are the revisions' contents (taskDefinition, launchType, networkConfiguration, …).
   */
  addDeployment(d: { cluster: string, service: string, createdAt: Date, source: Record<string, unknown>, target: Record<string, unknown> }): void
  /** The next n calls of an operation (or of every operation: '*') answer this error. */
  fail(operation: string, n: number, type: 'ClientException' | 'ThrottlingException' | 'AccessDeniedException' | 'ServerException'): void
  /** Answer every call after this many milliseconds (0: at once). */
  delay(ms: number): void
  close(): Promise<void>
}

const PREFIX = 'AmazonEC2ContainerServiceV20141113.'
const ACCOUNT = '111122223333'
const REGION = 'eu-west-1'
const seconds = (d: Date) => d.getTime() / 1000

export async function startEcsDouble(): Promise<EcsDouble> {
  const calls: EcsDouble['calls'] = []
  const taskDefinitions = new Map<string, Record<string, unknown>>()
  const deployments: Array<{ arn: string, cluster: string, service: string, createdAt: Date, sourceArn: string, targetArn: string }> = []
  const revisions = new Map<string, Record<string, unknown>>()
  const failures: Array<{ operation: string, left: number, type: string }> = []
  let delayMs = 0
  // Revision and deployment ids are 19-digit numbers in ECS; counted as a BigInt (past Number.MAX_SAFE_INTEGER).
  let sequence = 1_485_800_978_477_494_000n

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` })
    res.end(JSON.stringify(body))
  }
  const error = (res: ServerResponse, type: string, message: string) => { reply(res, 400, { __type: type, message }) }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>
    const target = String(req.headers['x-amz-target'] ?? '')
    const operation = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : target
    calls.push({ operation, target, contentType: req.headers['content-type'] ?? '', body })
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs))
    if (res.destroyed) return
    const scripted = failures.find((f) => f.left > 0 && (f.operation === operation || f.operation === '*'))
    if (scripted) {
      scripted.left--
      const messages: Record<string, string> = {
        ThrottlingException: 'Rate exceeded',
        AccessDeniedException: `User: arn:aws:sts::${ACCOUNT}:assumed-role/trailwarden-task/abc is not authorized to perform: ecs:${operation}`,
        ClientException: 'Unable to describe task definition.',
        ServerException: 'Service unavailable. Please try again later.',
      }
      error(res, scripted.type, messages[scripted.type] ?? scripted.type); return
    }
    switch (operation) {
      case 'DescribeTaskDefinition': {
        const ref = typeof body.taskDefinition === 'string' ? body.taskDefinition : ''
        const key = ref.includes(':task-definition/') ? ref.slice(ref.indexOf(':task-definition/') + ':task-definition/'.length) : ref
        const td = taskDefinitions.get(key)
        // ECS's answer for a revision that does not exist (or was deregistered and is no longer in use).
        if (!td) {
          error(res, 'ClientException', 'Unable to describe task definition.')
          return
        }
        reply(res, 200, { taskDefinition: td, tags: [] }); return
      }
      case 'ListServiceDeployments': {
        const createdAt = (body.createdAt ?? {}) as { after?: number, before?: number }
        const listed = deployments.filter((d) =>
          (body.service === d.service || body.service === `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${d.cluster}/${d.service}`)
          && (body.cluster === undefined || body.cluster === d.cluster)
          && (createdAt.after === undefined || seconds(d.createdAt) >= createdAt.after)
          && (createdAt.before === undefined || seconds(d.createdAt) <= createdAt.before))
        reply(res, 200, {
          serviceDeployments: listed.map((d) => ({
            serviceDeploymentArn: d.arn,
            serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${d.cluster}/${d.service}`,
            clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${d.cluster}`,
            startedAt: seconds(d.createdAt),
            createdAt: seconds(d.createdAt),
            targetServiceRevisionArn: d.targetArn,
            status: 'IN_PROGRESS',
          })),
        }); return
      }
      case 'DescribeServiceDeployments': {
        const arns: unknown[] = Array.isArray(body.serviceDeploymentArns) ? body.serviceDeploymentArns : []
        const found = deployments.filter((d) => arns.includes(d.arn))
        reply(res, 200, {
          serviceDeployments: found.map((d) => ({
            serviceDeploymentArn: d.arn,
            serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${d.cluster}/${d.service}`,
            clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${d.cluster}`,
            createdAt: seconds(d.createdAt),
            startedAt: seconds(d.createdAt),
            sourceServiceRevisions: [{ arn: d.sourceArn, requestedTaskCount: 3, runningTaskCount: 3, pendingTaskCount: 0 }],
            targetServiceRevision: { arn: d.targetArn, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 },
            status: 'IN_PROGRESS',
            deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false }, maximumPercent: 200, minimumHealthyPercent: 100 },
          })),
          failures: arns.filter((a) => !found.some((d) => d.arn === a)).map((arn) => ({ arn, reason: 'SERVICE_DEPLOYMENT_NOT_FOUND', detail: 'The service deployment was not found.' })),
        }); return
      }
      case 'DescribeServiceRevisions': {
        const arns: unknown[] = Array.isArray(body.serviceRevisionArns) ? body.serviceRevisionArns : []
        reply(res, 200, {
          serviceRevisions: arns.map((a) => revisions.get(String(a))).filter((r) => r !== undefined),
          failures: arns.filter((a) => !revisions.has(String(a))).map((arn) => ({ arn, reason: 'MISSING', detail: 'The service revision was not found.' })),
        }); return
      }
      default:
        error(res, 'UnknownOperationException', `${operation} is not served by this double`)
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => { reply(res, 500, { __type: 'ServerException', message: String(err) }) })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  const revision = (cluster: string, service: string, contents: Record<string, unknown>, createdAt: Date): string => {
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${cluster}/${service}/${sequence++}`
    revisions.set(arn, {
      serviceRevisionArn: arn,
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${service}`,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      createdAt: seconds(createdAt),
      ...contents,
    })
    return arn
  }

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    addTaskDefinition(td) {
      const family = String(td.family)
      const rev = Number(td.revision)
      const full = { taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${rev}`, status: 'ACTIVE', compatibilities: ['EC2', 'FARGATE'], ...td }
      taskDefinitions.set(`${family}:${rev}`, full)
    },
    addDeployment({ cluster, service, createdAt, source, target }) {
      const sourceArn = revision(cluster, service, source, new Date(createdAt.getTime() - 86_400_000))
      const targetArn = revision(cluster, service, target, createdAt)
      deployments.push({ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${cluster}/${service}/${sequence++}`, cluster, service, createdAt, sourceArn, targetArn })
    },
    fail(operation, n, type) { failures.push({ operation, left: n, type }) },
    delay(ms) { delayMs = ms },
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}
