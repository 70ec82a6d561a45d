import { readdirSync } from 'node:fs'
import { fixtureJson, fixtureText } from './fixtures.js'

type Rec = Record<string, unknown>

const clone = (r: Rec): Rec => JSON.parse(JSON.stringify(r)) as Rec

/**
 * Every ECS CloudTrail record the project holds as a single record: the real ones copied from /work/shared/corpus
 * (test/fixtures/corpus/ecs__*.json, provenance there) and the rule pack's built ones (rules/ecs/fixtures/BUILT__*).
 * What LookupEvents with EventSource=ecs.amazonaws.com returns is this kind of record.
 */
export function ecsRecords(): Rec[] {
  const corpus = readdirSync('test/fixtures/corpus').filter((f) => f.startsWith('ecs__') && f.endsWith('.json')).map((f) => fixtureJson(`corpus/${f}`))
  const built = readdirSync('rules/ecs/fixtures').filter((f) => f.startsWith('BUILT__ecs__')).map((f) => JSON.parse(fixtureText(`rules/ecs/fixtures/${f}`)) as Rec)
  return [...corpus, ...built].filter((r) => r.eventSource === 'ecs.amazonaws.com' && typeof r.eventTime === 'string')
}

/** n records cycling through ecsRecords(), each with its own eventID and a time a minute apart from `start`, in `region`. */
export function generatedRecords(n: number, region: string, start: number, stepMs = 60_000): Rec[] {
  const base = ecsRecords()
  return Array.from({ length: n }, (_, i) => {
    const r = clone(base[i % base.length] ?? {})
    r.eventID = `${region}-${String(i).padStart(5, '0')}`
    r.eventTime = new Date(start + i * stepMs).toISOString().replace('.000Z', 'Z')
    r.awsRegion = region
    return r
  })
}

const fixture = (name: string): Rec => clone(JSON.parse(fixtureText(`rules/ecs/fixtures/${name}`)) as Rec)

/**
 * One service's changes over a week, built from the rule pack's BUILT fixtures (each a CloudTrail record shaped after
 * the real ones, see rules/ecs/fixtures/README.md) by setting the cluster, service, revision, image and time: the
 * pipeline creates prod-web/web with Terraform, registers revisions, a person scales it in the console, Application
 * Auto Scaling scales it, CloudFormation switches the revision, someone scales it to zero, an IAM user is refused a
 * delete and another deletes it. Two events of another service and a read-only call are mixed in; they are not history.
 */
export function webServiceSequence(): Rec[] {
  const at = (day: number, hh: number, mm: number) => `2026-11-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:07Z`
  const id = (n: number) => `7c0e2a10-0000-4000-8000-${String(n).padStart(12, '0')}`
  const out: Rec[] = []
  const push = (r: Rec, n: number, time: string) => {
    r.eventID = id(n)
    r.eventTime = time
    r.awsRegion = 'eu-west-1'
    out.push(r)
  }
  const service = (r: Rec, td?: string, desired?: number) => {
    const s = ((r.responseElements as Rec | undefined)?.service ?? {}) as Rec
    s.serviceArn = 'arn:aws:ecs:eu-west-1:111122223333:service/prod-web/web'
    s.serviceName = 'web'
    s.clusterArn = 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod-web'
    if (td) s.taskDefinition = `arn:aws:ecs:eu-west-1:111122223333:task-definition/${td}`
    if (desired !== undefined) s.desiredCount = desired
    return r
  }
  const register = (revision: number, version: string) => {
    const r = fixture('BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_ecrImage_clean.json')
    const image = `111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:${version}`
    const req = r.requestParameters as Rec
    ;(req.containerDefinitions as Rec[])[0]!.image = image
    const td = (r.responseElements as Rec).taskDefinition as Rec
    td.revision = revision
    td.taskDefinitionArn = `arn:aws:ecs:eu-west-1:111122223333:task-definition/web:${revision}`
    const answered = (td.containerDefinitions as Rec[] | undefined)?.[0]
    if (answered) answered.image = image
    return r
  }

  // The staging fixture moved to the production account: its account id everywhere, then the prod service's names.
  const create = JSON.parse(JSON.stringify(fixture('BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json')).replaceAll('444455556666', '111122223333')) as Rec
  Object.assign(create.requestParameters as Rec, { cluster: 'prod-web', serviceName: 'web', taskDefinition: 'web:42', desiredCount: 2 })
  push(service(create, 'web:42', 2), 1, at(2, 9, 0))
  push(register(43, '1.42.0'), 2, at(3, 14, 30))

  const console = fixture('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json')
  push(service(console, 'web:43', 3), 3, at(3, 15, 2))

  const other = fixture('BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json')
  push(other, 4, at(4, 8, 0))

  const scale = fixture('BUILT__ecs__UpdateService__AssumedRole_AWSServiceRoleForApplicationAutoScaling_service.json')
  push(service(scale, 'web:43', 4), 5, at(4, 18, 45))

  const readOnly = fixture('ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json')
  push(readOnly, 6, at(5, 7, 0))

  push(register(44, '1.43.0'), 7, at(6, 11, 10))
  const cfn = fixture('BUILT__ecs__UpdateService__AssumedRole_cloudformation_invokedBy_prod.json')
  push(service(cfn, 'web:44', 4), 8, at(6, 11, 20))

  const zero = fixture('BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod.json')
  push(service(zero, 'web:44', 0), 9, at(7, 22, 13))

  const refused = fixture('BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json')
  refused.errorCode = 'AccessDeniedException'
  refused.errorMessage = 'User: arn:aws:iam::111122223333:user/bob is not authorized to perform: ecs:DeleteService'
  refused.responseElements = null
  push(refused, 10, at(8, 9, 0))
  const deleted = fixture('BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json')
  push(service(deleted), 11, at(8, 9, 5))
  return out
}
