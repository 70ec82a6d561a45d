import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs'
import { LRUCache } from 'lru-cache'
import PQueue from 'p-queue'
import type { ServiceState, TaskDefinitionState } from '../../core/change/change.js'
import { serviceStateOf } from '../../core/change/serviceStateOf.js'
import { taskDefinitionStateOf } from '../../core/change/taskDefinitionStateOf.js'
import { lookupReason } from './lookupReason.js'

/** A lookup's answer: the state, nothing there (deregistered, no deployment), or why it could not be asked. */
export type Lookup<T> = { kind: 'found', state: T } | { kind: 'absent' } | { kind: 'unavailable', reason: string }

export interface EcsLookup {
  /** A task definition revision (`family:N`, or its ARN when the event's account and region are known). */
  taskDefinition(ref: string): Promise<Lookup<TaskDefinitionState>>
  /**
   * A service as it was before the deployment an UpdateService at `eventTime` started: the source revision of that
   * deployment (ListServiceDeployments → DescribeServiceDeployments → DescribeServiceRevisions; revisions exist since
   * 2024-10-25). Absent when the call started no deployment (a desiredCount-only change).
   */
  serviceBefore(cluster: string, service: string, eventTime: number): Promise<Lookup<ServiceState>>
}

export interface EcsLookupOptions {
  client: ECSClient
  /** Each call's deadline (an alert waits for it): default 1.5 s. */
  timeoutMs?: number
  /** Calls in flight at once; more wait in line. */
  concurrency?: number
  /** Calls waiting in line at most; past it a lookup is unavailable at once ("lookup queue full"). */
  maxQueued?: number
  /** Answers kept (revisions never change; a service's past deployments neither), failures for `failureTtlMs`. */
  cacheEntries?: number
  failureTtlMs?: number
}

/**
 * ECS reads for the change context, with the task role's four read actions only (DescribeTaskDefinition,
 * ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions). Every call has a short deadline, a
 * concurrency cap and a cache; a failure is an answer ("unavailable: reason"), never a throw, so the alert goes on time.
 */
export function createEcsLookup(options: EcsLookupOptions): EcsLookup {
  const { client, timeoutMs = 1_500, concurrency = 4, maxQueued = 200, cacheEntries = 2_000, failureTtlMs = 30_000 } = options
  const queue = new PQueue({ concurrency })
  const cache = new LRUCache<string, Promise<Lookup<unknown>>>({ max: cacheEntries })

  /** One ECS call under the deadline and the cap. */
  const call = async <T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (queue.size >= maxQueued) throw Object.assign(new Error('lookup queue full'), { name: 'LookupQueueFull' })
    return queue.add(() => send(AbortSignal.timeout(timeoutMs)))
  }

  /** Cached by key; a failure is kept only briefly, so a throttled minute does not hide state for an hour. */
  const cached = <T>(key: string, look: () => Promise<Lookup<T>>): Promise<Lookup<T>> => {
    const hit = cache.get(key) as Promise<Lookup<T>> | undefined
    if (hit) return hit
    const answer = look().catch((err: unknown): Lookup<T> => ({ kind: 'unavailable', reason: lookupReason(err, timeoutMs) }))
    cache.set(key, answer)
    void answer.then((a) => { if (a.kind === 'unavailable') cache.set(key, answer, { ttl: failureTtlMs }) })
    return answer
  }

  return {
    taskDefinition(ref) {
      return cached(`td\n${ref}`, async (): Promise<Lookup<TaskDefinitionState>> => {
        try {
          const out = await call((abortSignal) => client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }), { abortSignal }))
          return out.taskDefinition ? { kind: 'found', state: taskDefinitionStateOf(out.taskDefinition) } : { kind: 'absent' }
        } catch (err) {
          // ECS answers a revision that is deregistered and no longer used with ClientException ("Unable to describe
          // task definition"): the revision is gone, not the lookup broken.
          if (err instanceof Error && err.name === 'ClientException' && /unable to describe/i.test(err.message)) return { kind: 'absent' }
          throw err
        }
      })
    },
    serviceBefore(cluster, service, eventTime) {
      return cached(`svc\n${cluster}\n${service}\n${eventTime}`, async (): Promise<Lookup<ServiceState>> => {
        // The deployment the call started is created within moments of it.
        const listed = await call((abortSignal) => client.send(new ListServiceDeploymentsCommand({
          cluster, service, createdAt: { after: new Date(eventTime - 60_000), before: new Date(eventTime + 60_000) },
        }), { abortSignal }))
        const deployments = (listed.serviceDeployments ?? [])
          .filter((d) => d.serviceDeploymentArn !== undefined && d.createdAt !== undefined && d.createdAt.getTime() >= eventTime - 5_000)
          .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))
        const arn = deployments[0]?.serviceDeploymentArn
        if (!arn) return { kind: 'absent' }
        const described = await call((abortSignal) => client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal }))
        const source = described.serviceDeployments?.[0]?.sourceServiceRevisions?.[0]?.arn
        if (!source) return { kind: 'absent' }
        const revisions = await call((abortSignal) => client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [source] }), { abortSignal }))
        const revision = revisions.serviceRevisions?.[0]
        return revision ? { kind: 'found', state: serviceStateOf(revision) } : { kind: 'absent' }
      })
    },
  }
}
