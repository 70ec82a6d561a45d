import { describe, expect, it } from 'vitest'
import type { Change, PreviousState } from '../../../src/core/change/change.js'
import { createChangeTracker } from '../../../src/core/change/createChangeTracker.js'
import { deriveChange } from '../../../src/core/change/deriveChange.js'
import { describeChange } from '../../../src/core/change/describeChange.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import type { NormalisedEvent } from '../../../src/core/intake/types.js'
import { fixtureText } from '../../support/fixtures.js'

const F = 'rules/ecs/fixtures/'
const event = (name: string, set?: (r: Record<string, unknown>) => void): NormalisedEvent => {
  const record = JSON.parse(fixtureText(`${F}${name}.json`)) as Record<string, unknown>
  set?.(record)
  const [e] = readEvents(JSON.stringify(record)).events
  if (!e) throw new Error(`fixture ${name} did not read`)
  return e
}

/** The change of the last event, each earlier one fed through the same offline tracker (previous state from earlier events). */
function changeAfter(...names: string[]): Change | undefined {
  const tracker = createChangeTracker()
  let last: Change | undefined
  for (const n of names) last = tracker.apply(event(n))
  return last
}

const UPDATE_3 = 'BUILT__ecs__UpdateService__AssumedRole_sso_console_prod'
const UPDATE_0 = 'BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod'
const TD_43 = 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web43_image1.41'
const TD_44 = 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web44_image1.42_envFEATURE_X'

describe('services: from → to', () => {
  it('desiredCount 3 → 0 from the previous UpdateService of the same service (snapshot)', () => {
    const change = changeAfter(UPDATE_3, UPDATE_0)
    expect(change?.desiredCount).toEqual({ from: 3, to: 0, known: true, changed: true, ratio: 0 })
    expect(change?.previous).toBe('snapshot')
    expect(describeChange(change!)).toContain('desiredCount 3 → 0')
  })

  it('desiredCount with no earlier event: previous value unknown, never guessed', () => {
    const change = changeAfter(UPDATE_0)
    expect(change?.desiredCount).toEqual({ to: 0, known: false })
    expect(change?.previous).toBe('unknown')
    expect(describeChange(change!)).toContain('desiredCount ? → 0 (previous value unknown)')
  })

  it('a failed lookup says why: previous state unavailable: <reason>', () => {
    const e = event(UPDATE_0)
    const change = deriveChange(e.record, e.context, { kind: 'unavailable', reason: 'ThrottlingException' })
    expect(change?.unavailable).toBe('previous state unavailable: ThrottlingException')
    expect(change?.desiredCount?.known).toBe(false)
    expect(describeChange(change!)[0]).toBe('previous state unavailable: ThrottlingException')
  })

  it('task definition revision from the event itself: deployments[] PRIMARY (new) and ACTIVE (replaced)', () => {
    const change = changeAfter('BUILT__ecs__UpdateService__AssumedRole_pipeline_web44_deploymentsPrimaryActive_prod')
    expect(change?.previous).toBe('event')
    expect(change?.taskDefinition).toMatchObject({ from: 'web:43', to: 'web:44', changed: true, revision: { from: 43, to: 44, changed: true } })
    expect(describeChange(change!)).toContain('taskDefinition web:43 → web:44')
  })

  it('network configuration from deployments[]: public IP switched on, a security group added', () => {
    const change = changeAfter('BUILT__ecs__UpdateService__AssumedRole_sso_cli_publicIp_newSecurityGroup_deployments_prod')
    expect(change?.assignPublicIp).toEqual({ from: 'DISABLED', to: 'ENABLED', known: true, changed: true })
    expect(change?.securityGroups).toEqual({ added: ['sg-0fff0000aaaa11112'], removed: [], known: true })
    expect(change?.subnets).toEqual({ added: [], removed: [], known: true })
    expect(describeChange(change!)).toEqual(expect.arrayContaining(['assignPublicIp DISABLED → ENABLED', '+ securityGroup sg-0fff0000aaaa11112']))
  })

  it('enable-execute-command false → true from the previous state', () => {
    const change = changeAfter(UPDATE_3, 'BUILT__ecs__UpdateService__AssumedRole_sso_cli_execEnabled_prod')
    expect(change?.enableExecuteCommand).toEqual({ from: false, to: true, known: true, changed: true })
  })

  it('deployment settings and capacity provider strategy, from → to', () => {
    const e = event(UPDATE_3, (r) => {
      r.requestParameters = {
        cluster: 'prod-web', service: 'web',
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } },
      }
    })
    const previous: PreviousState = { kind: 'service', source: 'snapshot', state: { capacityProviderStrategy: 'FARGATE weight 1', deployment: 'max 200%, min healthy 100%' } }
    const change = deriveChange(e.record, e.context, previous)
    expect(change?.capacityProviderStrategy).toMatchObject({ from: 'FARGATE weight 1', to: 'FARGATE_SPOT weight 1', changed: true })
    expect(change?.deployment).toMatchObject({ to: 'max 200%, min healthy 50%, circuit breaker on with rollback', changed: true })
  })

  it('CreateService: everything is new (previous: none)', () => {
    const change = changeAfter('BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging')
    expect(change).toMatchObject({ action: 'create', previous: 'none', desiredCount: { to: 2, known: true }, taskDefinition: { to: 'api:7' }, launchType: { to: 'FARGATE' } })
    expect(describeChange(change!)).toEqual(expect.arrayContaining(['service staging-api/api created', 'desiredCount 2']))
  })

  it('DeleteService: what the service ran, from its own response', () => {
    const change = changeAfter('BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod')
    expect(change).toMatchObject({ action: 'delete', previous: 'event' })
    expect(describeChange(change!)[0]).toMatch(/^service .+ deleted$/)
  })

  it('UpdateServicePrimaryTaskSet: the primary task set and its task definition', () => {
    const change = changeAfter('BUILT__ecs__UpdateService__AssumedRole_pipeline_web44_deploymentsPrimaryActive_prod', 'BUILT__ecs__UpdateServicePrimaryTaskSet__AssumedRole_sso_cli_web44_prod')
    expect(change?.primaryTaskSet).toMatchObject({ to: 'arn:aws:ecs:eu-west-1:111122223333:task-set/prod-web/web/ecs-svc/4444444444444444444', known: true, changed: true })
    expect(change?.taskDefinition).toMatchObject({ from: 'web:44', to: 'web:44', changed: false })
  })

  it('responseElements omitted (too long): the request side still shows, and the omission is said', () => {
    const change = changeAfter(UPDATE_3, 'BUILT__ecs__UpdateService__AssumedRole_sso_console_desiredCount1_responseElementsOmitted_prod')
    expect(change?.omitted).toEqual(['responseElements'])
    expect(change?.desiredCount).toMatchObject({ from: 3, to: 1, changed: true })
    expect(describeChange(change!)[0]).toBe('CloudTrail dropped responseElements as too long: what it held is unknown')
  })
})

describe('task definitions: the new revision against the previous one', () => {
  it('image tag 1.41 → 1.42 and an added env var NAME (its value nowhere in the change)', () => {
    const change = changeAfter(TD_43, TD_44)
    expect(change?.previous).toBe('snapshot')
    expect(change?.revision).toMatchObject({ from: 43, to: 44 })
    const web = change?.containers?.[0]
    expect(web).toMatchObject({ name: 'web', status: 'changed', image: { changed: true, tag: { from: '1.41.0', to: '1.42.0', changed: true } } })
    expect(web?.env).toEqual({ added: ['FEATURE_X'], removed: [], changed: [] })
    expect(change?.added?.env).toEqual(['FEATURE_X'])
    expect(change?.added?.externalImages).toBeUndefined()
    const lines = describeChange(change!)
    expect(lines).toEqual(expect.arrayContaining(['image …/web:1.41.0 → …/web:1.42.0', '+ env FEATURE_X']))
    expect(JSON.stringify(change)).not.toContain('fx-value-never-shown')
  })

  it('an env value changed: the name, marked changed, compared by digest', () => {
    const tracker = createChangeTracker()
    tracker.apply(event(TD_43))
    const change = tracker.apply(event(TD_43, (r) => {
      const td = (r.responseElements as { taskDefinition: Record<string, unknown> }).taskDefinition
      td.revision = 44
      const c = (r.requestParameters as { containerDefinitions: Array<{ environment: Array<{ name: string, value: string }> }> }).containerDefinitions[0]!
      c.environment[0]!.value = 'debug'
    }))
    expect(change?.containers?.[0]?.env?.changed).toEqual(['LOG_LEVEL'])
    expect(describeChange(change!)).toContain('~ env LOG_LEVEL (value changed)')
  })

  it('a new revision adding privileged and a host mount', () => {
    const change = changeAfter(TD_43, 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web44_privileged_dockerSockMount')
    expect(change?.added).toMatchObject({ privileged: true, hostMounts: ['/var/run/docker.sock'] })
    expect(describeChange(change!)).toEqual(expect.arrayContaining(['+ privileged', '+ mount docker-sock:/var/run/docker.sock', '+ host mount /var/run/docker.sock']))
  })

  it('an image moved to Docker Hub: an added external image and its registry', () => {
    const change = changeAfter(TD_43, 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web44_dockerHubImage')
    expect(change?.added).toMatchObject({ externalImages: ['docker.io/attacker/web:1.42.0'], registries: ['docker.io'] })
    expect(describeChange(change!)).toContain('image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.41.0 → docker.io/attacker/web:1.42.0')
  })

  it('roles, network mode, cpu and memory from → to; secrets and capabilities added', () => {
    const tracker = createChangeTracker()
    tracker.apply(event(TD_43))
    const change = tracker.apply(event('BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret', (r) => {
      const rp = r.requestParameters as Record<string, unknown>
      rp.family = 'web'
      ;(rp.containerDefinitions as Array<Record<string, unknown>>)[0]!.name = 'web'
      r.responseElements = { taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:44', family: 'web', revision: 44 } }
    }))
    expect(change?.taskRoleArn).toMatchObject({ from: 'arn:aws:iam::111122223333:role/web-task', to: 'arn:aws:iam::111122223333:role/AdministratorAccess-task', changed: true })
    expect(change?.networkMode).toMatchObject({ from: 'awsvpc', to: 'host' })
    expect(change?.cpu).toMatchObject({ from: '512', to: '1024' })
    expect(change?.added).toMatchObject({ privileged: true, capabilities: ['NET_ADMIN', 'SYS_ADMIN'], secrets: ['API_TOKEN'], taskRole: true })
    expect(change?.removed?.secrets).toEqual(['DB_PASSWORD'])
    expect(change?.containers?.map((c) => `${c.name}:${c.status}`)).toEqual(['web:changed', 'sidecar:added'])
  })

  it('the previous revision unknown: the new side only, nothing said to be added', () => {
    const change = changeAfter(TD_44)
    expect(change?.previous).toBe('unknown')
    expect(change?.added).toBeUndefined()
    expect(change?.containers?.[0]).toMatchObject({ status: 'unknown', image: { to: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.42.0', known: false } })
    expect(describeChange(change!)).toEqual(['previous value unknown (revision 43): compared with nothing', 'image 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.42.0'])
  })

  it('revision 1: everything is added (previous: none)', () => {
    const e = event(TD_43, (r) => { (r.responseElements as { taskDefinition: Record<string, unknown> }).taskDefinition.revision = 1 })
    const first = deriveChange(e.record, e.context)
    expect(first?.previous).toBe('none')
    expect(first?.containers?.[0]?.status).toBe('added')
    expect(first?.added?.env).toEqual(['LOG_LEVEL', 'PORT'])
  })

  it('requestParameters omitted (too long): no containers claimed, the omission said', () => {
    const change = changeAfter(TD_43, 'BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_web44_requestParametersOmitted')
    expect(change?.omitted).toEqual(['requestParameters'])
    expect(change?.containers).toEqual([])
    expect(change?.added).toBeUndefined()
  })
})

describe('RunTask overrides against the task definition', () => {
  it('task role override, env names set by the override, command replaced', () => {
    const change = changeAfter(TD_43, 'BUILT__ecs__RunTask__AssumedRole_sso_cli_overrides_taskRole_env_prod')
    expect(change).toMatchObject({ kind: 'task', action: 'run', resource: 'web:43', previous: 'snapshot' })
    expect(change?.taskRoleArn).toMatchObject({ from: 'arn:aws:iam::111122223333:role/web-task', to: 'arn:aws:iam::111122223333:role/AdministratorAccess-task', changed: true })
    expect(change?.containers?.[0]?.env).toEqual({ added: ['DEBUG_DUMP'], removed: [], changed: ['LOG_LEVEL'] })
    expect(change?.added).toMatchObject({ env: ['DEBUG_DUMP'], taskRole: true })
    expect(JSON.stringify(change)).not.toContain('override-value-never-shown')
  })

  it('without the task definition: the override alone, previous unknown', () => {
    const change = changeAfter('BUILT__ecs__RunTask__AssumedRole_sso_cli_overrides_taskRole_env_prod')
    expect(change?.taskRoleArn).toEqual({ to: 'arn:aws:iam::111122223333:role/AdministratorAccess-task', known: false })
    expect(change?.containers?.[0]?.env?.added).toEqual(['DEBUG_DUMP', 'LOG_LEVEL'])
  })
})

describe('no change derived', () => {
  it.each([
    ['a read-only call', 'ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor'],
    ['a call outside the list', 'BUILT__ecs__DeleteCluster__Root_console_mfaTrue'],
    ['a RunTask without overrides', 'BUILT__ecs__RunTask__AccessDenied_IAMUser_cli'],
  ])('%s', (_, name) => {
    expect(changeAfter(name)).toBeUndefined()
  })

  it('a failed call (errorCode)', () => {
    const e = event(UPDATE_0, (r) => { r.errorCode = 'AccessDenied' })
    expect(deriveChange(e.record, e.context)).toBeUndefined()
  })
})
