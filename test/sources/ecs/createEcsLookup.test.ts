import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEcsClient } from '../../../src/commands/clients.js'
import { createEcsLookup } from '../../../src/sources/ecs/createEcsLookup.js'
import { type EcsDouble, startEcsDouble } from '../../support/ecsDouble.js'
import { fixtureJson } from '../../support/fixtures.js'

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' }
let ecs: EcsDouble
beforeAll(async () => { ecs = await startEcsDouble() })
afterAll(() => ecs.close())
beforeEach(() => { ecs.delay(0) })

const client = () => createEcsClient('eu-west-1', credentials, ecs.url)
/** web:43 as DescribeTaskDefinition returns it: the request of its RegisterTaskDefinition, with family and revision. */
const web43 = () => ({ ...(fixtureJson('rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web43_image1.41.json').requestParameters as Record<string, unknown>), revision: 43 })

describe('ECS lookups through the real @aws-sdk/client-ecs against the double', () => {
  it('the SDK speaks AWS JSON 1.1 with the ECS target; a revision is kept without its env values', async () => {
    ecs.addTaskDefinition(web43())
    const lookup = createEcsLookup({ client: client() })
    const answer = await lookup.taskDefinition('arn:aws:ecs:eu-west-1:111122223333:task-definition/web:43')
    const call = ecs.calls.at(-1)!
    expect(call).toMatchObject({
      operation: 'DescribeTaskDefinition',
      target: 'AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition',
      contentType: 'application/x-amz-json-1.1',
      body: { taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:43' },
    })
    expect(answer.kind).toBe('found')
    const state = answer.kind === 'found' ? answer.state : undefined
    expect(state?.containers.web?.image).toBe('111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.41.0')
    expect(Object.keys(state?.containers.web?.env ?? {})).toEqual(['LOG_LEVEL', 'PORT'])
    expect(JSON.stringify(state)).not.toContain('"info"')
  })

  it('a second lookup of the same revision is answered from the cache (no call)', async () => {
    ecs.addTaskDefinition(web43())
    const lookup = createEcsLookup({ client: client() })
    await lookup.taskDefinition('web:43')
    const before = ecs.calls.length
    await lookup.taskDefinition('web:43')
    expect(ecs.calls.length).toBe(before)
  })

  it('a deregistered revision (ClientException "Unable to describe task definition") is absent, not a failure', async () => {
    const lookup = createEcsLookup({ client: client() })
    expect(await lookup.taskDefinition('web:7')).toEqual({ kind: 'absent' })
  })

  it.each([
    ['ThrottlingException', 'ThrottlingException (HTTP 400)'],
    ['AccessDeniedException', 'AccessDeniedException (HTTP 400)'],
  ] as const)('%s: unavailable, with the reason', async (type, reason) => {
    ecs.fail('DescribeTaskDefinition', 2, type)
    const lookup = createEcsLookup({ client: client() })
    expect(await lookup.taskDefinition(`web:${type.length}`)).toEqual({ kind: 'unavailable', reason })
  })

  it('a slow answer: unavailable at the deadline', async () => {
    ecs.addTaskDefinition(web43())
    ecs.delay(3_000)
    const lookup = createEcsLookup({ client: client(), timeoutMs: 200 })
    expect(await lookup.taskDefinition('web:43')).toEqual({ kind: 'unavailable', reason: 'timed out after 200 ms' })
  })

  it('at most `concurrency` calls in flight; past maxQueued a lookup is unavailable at once', async () => {
    ecs.delay(300)
    const lookup = createEcsLookup({ client: client(), concurrency: 1, maxQueued: 2, timeoutMs: 5_000 })
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => lookup.taskDefinition(`queued:${n}`)))
    expect(answers.filter((a) => a.kind === 'unavailable' && a.reason === 'LookupQueueFull')).toHaveLength(2)
  })

  it('a service before an UpdateService: its deployment\'s source revision (ListServiceDeployments → Describe…)', async () => {
    const at = Date.parse('2026-11-02T10:25:07Z')
    ecs.addDeployment({
      cluster: 'prod-web', service: 'web', createdAt: new Date(at),
      source: { taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:43', launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } } },
      target: { taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:44', launchType: 'FARGATE' },
    })
    const lookup = createEcsLookup({ client: client() })
    const answer = await lookup.serviceBefore('prod-web', 'web', at)
    expect(answer).toEqual({ kind: 'found', state: { taskDefinition: 'web:43', launchType: 'FARGATE', assignPublicIp: 'DISABLED', subnets: ['subnet-1'], securityGroups: ['sg-1'] } })
    expect(ecs.calls.slice(-3).map((c) => c.target)).toEqual([
      'AmazonEC2ContainerServiceV20141113.ListServiceDeployments',
      'AmazonEC2ContainerServiceV20141113.DescribeServiceDeployments',
      'AmazonEC2ContainerServiceV20141113.DescribeServiceRevisions',
    ])
    // No deployment started by the call (a desiredCount-only change): absent.
    expect(await lookup.serviceBefore('prod-web', 'api', at)).toEqual({ kind: 'absent' })
  })
})
