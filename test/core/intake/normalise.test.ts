import { describe, expect, it } from 'vitest'
import { normalise } from '../../../src/core/intake/normalise.js'
import { parseBody } from '../../../src/core/intake/parseBody.js'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import { compileNormaliseSettings, type NormaliseSettings } from '../../../src/core/intake/settings.js'
import type { EventContext } from '../../../src/core/intake/types.js'
import { fixtureJson, fixturePaths, fixtureText } from '../../support/fixtures.js'

const settings = compileNormaliseSettings({
  environments: [
    { name: 'prod', accounts: ['111122223333'], clusters: ['prod-*'] },
    { name: 'prod-account', accounts: ['111122223333'] },
    { name: 'staging', accounts: ['444455556666'], regions: ['eu-west-1'] },
  ],
  mfaEnforcedUpstream: ['arn:aws:sts::*:assumed-role/AWSReservedSSO_*/*'],
})

const contextOf = (path: string, s?: NormaliseSettings): EventContext => {
  const { events, rejections } = readEvents(fixtureText(path), s)
  expect(rejections).toEqual([])
  return events[0]!.context
}

type Expect = Partial<Omit<EventContext, 'actor'>> & { actor?: Partial<EventContext['actor']> }

describe('normalise: the context of real and built records', () => {
  const cases: Array<[string, Expect]> = [
    ['corpus/ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json', {
      actor: { type: 'AssumedRole', role: 'Admin', account: '123456789012', console: true, via: 'console', mfa: false, service: false },
      ecs: { cluster: 'default' }, mutating: true, eventKey: '123456789012:e3c6f4ce-EXAMPLE', account: '123456789012', region: 'us-east-1',
    }],
    ['corpus/ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json', {
      actor: { type: 'AssumedRole', role: 'lmngstockholm', name: 'LMAssumeRoleSession', session: 'LMAssumeRoleSession', via: 'sdk', console: false },
      mutating: false,
    }],
    ['corpus/ecs__ListClusters__AssumedRole_lambda_readOnly__skillbuilder-lab.json', { mutating: false, actor: { via: 'sdk' } }],
    ['corpus/ecs__PutAccountSettingDefault__IAMUser_cli_govcloud__awsdocs.json', {
      actor: { type: 'IAMUser', name: 'jdoe', via: 'cli', mfa: false }, mutating: true, region: 'us-gov-east-1',
    }],
    ['corpus/ecs__PutClusterCapacityProviders__IAMUser_terraform__sekoia.json', {
      actor: { type: 'IAMUser', via: 'terraform', console: false }, ecs: { cluster: 'cluster_name' }, mutating: true,
    }],
    ['corpus/envelope__s3_CreateBucket__Root_S3Console__custodian.json', { actor: { type: 'Root', name: 'root', console: true, via: 'console' }, source: 'aws.s3' }],
    ['corpus/envelope__glue_PutResourcePolicy__IAMUser_console_userAgent__custodian.json', { actor: { type: 'IAMUser', console: true } }],
    ['corpus/other__kms_ListAliases__AssumedRole_consoleSession_sessionCredentialFromConsole__skillbuilder-lab.json', { actor: { console: true, via: 'console' } }],
    ['corpus/other__ec2_ModifyInstanceAttribute__Root_mfaTrue_consoleSession_AWSInternal__sekoia.json', { actor: { type: 'Root', mfa: true, console: true } }],
    ['corpus/other__signin_ConsoleLogin__Root_withMFA__awsdocs.json', { actor: { type: 'Root', mfa: true, console: true }, detailType: 'AWS Console Sign In via CloudTrail' }],
    ['corpus/other__signin_ConsoleLogin__IAMUser_noMFA__stratus.json', { actor: { type: 'IAMUser', mfa: false, console: true } }],
    ['corpus/other__sts_AssumeRole__AWSService_invokedBy_lambda__logicmonitor.json', { actor: { type: 'AWSService', name: 'lambda.amazonaws.com', service: true, via: 'service' } }],
    ['corpus/other__s3_GetBucketAcl__AWSService_invokedBy_cloudtrail__logicmonitor.json', { actor: { type: 'AWSService', service: true } }],
    ['corpus/other__kms_RotateKey__AwsServiceEvent__awsdocs.json', { actor: { service: true }, detailType: 'AWS Service Event via CloudTrail' }],
    ['corpus/other__kms_GenerateDataKey__invokedBy_AWS_Internal_consoleSession__skillbuilder-lab.json', { actor: { service: false, console: true } }],
    ['corpus/other__sts_GetCallerIdentity__FederatedUser__stratus.json', { actor: { type: 'FederatedUser', name: 'stratus_red_team', mfa: false } }],
    ['corpus/other__sts_AssumeRole__AWSAccount__logicmonitor.json', { actor: { type: 'AWSAccount', account: '282028653949' }, account: '197152445587' }],
    ['corpus/other__sts_AssumeRole__IAMUser_crossaccount_callerSide__awsdocs.json', { actor: { account: '777788889999' }, eventKey: '111122223333:dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE' }],
    ['corpus/other__sts_AssumeRole__AWSAccount_crossaccount_roleOwnerSide__awsdocs.json', { eventKey: '777788889999:dEXAMPLE-ac7f-466c-a608-4ac8dEXAMPLE' }],
    ['rules/ecs/fixtures/BUILT__ecs__RunTask__AssumedRole_sso_cli_execEnabled_publicIp_prod.json', {
      actor: { type: 'AssumedRole', name: 'alice@example.com', role: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef', via: 'cli', mfa: false },
      ecs: { cluster: 'prod-web', taskDefinition: 'web:42' }, mutating: true,
    }],
    ['rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', { ecs: { cluster: 'prod-web', container: 'web', task: '4c8f2d1e9a7b4c3d8e6f1a2b3c4d5e6f' } }],
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', { actor: { console: true, via: 'console' }, ecs: { cluster: 'prod-web', service: 'web', taskDefinition: 'web:43' } }],
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_scaleToZero_prod.json', { ecs: { cluster: 'prod-web', service: 'web' } }],
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_cloudformation_invokedBy_prod.json', { actor: { service: false, via: 'cloudformation' }, ecs: { taskDefinition: 'web:44' } }],
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_AWSServiceRoleForApplicationAutoScaling_service.json', { actor: { service: true, via: 'service', role: 'AWSServiceRoleForApplicationAutoScaling_ECSService' } }],
    ['rules/ecs/fixtures/BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json', { actor: { role: 'deploy-pipeline', via: 'terraform' }, ecs: { cluster: 'staging-api', service: 'api', taskDefinition: 'api:7' } }],
    ['rules/ecs/fixtures/BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json', { actor: { type: 'IAMUser', name: 'bob', mfa: false }, ecs: { cluster: 'prod-web', service: 'web' } }],
    ['rules/ecs/fixtures/BUILT__ecs__DeleteCluster__Root_console_mfaTrue.json', { actor: { type: 'Root', mfa: true, console: true }, ecs: { cluster: 'legacy-batch' } }],
    ['rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json', { ecs: { taskDefinition: 'debug-tools:3', container: ['toolbox', 'sidecar'] } }],
    ['rules/ecs/fixtures/BUILT__ecs__UpdateClusterSettings__AssumedRole_sso_cli_containerInsightsDisabled_prod.json', { ecs: { cluster: 'prod-web' } }],
    ['rules/ecs/fixtures/BUILT__ecs__PutAccountSetting__IAMUser_cli_longTermKey.json', { actor: { type: 'IAMUser', mfa: false }, ecs: {} }],
    ['rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json', { ecs: { cluster: 'default' }, account: '444455556666' }],
  ]
  it.each(cases)('%s', (path, expected) => {
    const context = contextOf(path)
    expect(context).toMatchObject(expected)
  })

  it('leaves unknown what a record does not say (no userIdentity.type, no eventID)', () => {
    const context = contextOf('corpus/envelope__route53_ChangeResourceRecordSets__AssumedRole__eventruler.json')
    expect(context.actor.type).toBe('AssumedRole')
    expect(context.eventKey).toMatch(/^0123456789012:sha256:[0-9a-f]{32}$/)
    const noType = readEvents(JSON.stringify({ eventSource: 'ecs.amazonaws.com', eventName: 'RunTask', eventTime: '2026-01-01T00:00:00Z', userIdentity: {} }))
    expect(noType.events[0]?.context.actor).toEqual({ type: 'Unknown', console: false, service: false, via: 'unknown' })
  })
})

describe('normalise: configuration', () => {
  it.each([
    ['rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'prod'],
    ['rules/ecs/fixtures/BUILT__ecs__PutAccountSetting__IAMUser_cli_longTermKey.json', 'prod-account'],
    ['rules/ecs/fixtures/BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json', 'staging'],
    ['corpus/ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json', undefined],
  ])('%s is in environment %s (first match in config order)', (path, env) => {
    expect(contextOf(path, settings).env).toBe(env)
  })

  it('counts MFA enforced upstream (SSO sessions say "false")', () => {
    expect(contextOf('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json', settings).actor.mfa).toBe(true)
    expect(contextOf('rules/ecs/fixtures/BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json', settings).actor.mfa).toBe(false)
  })
})

describe('normalise: the subject rules match on', () => {
  it('holds the record, the context and the EventBridge envelope fields', () => {
    const [record] = parseBody(fixtureText('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json')).records
    const { subject } = normalise(record!, settings)
    expect(subject).toMatchObject({
      'eventName': 'UpdateService',
      'source': 'aws.ecs',
      'detail-type': 'AWS API Call via CloudTrail',
      'account': '111122223333',
      'region': 'eu-west-1',
      'env': 'prod',
      'mutating': true,
      'actor': { console: true },
      'ecs': { service: 'web' },
      'detail': { eventName: 'UpdateService' },
    })
  })

  it('lets the context win over same-named fields an event carries, and drops what it does not know', () => {
    const forged = readEvents(
      JSON.stringify({
        eventSource: 'ecs.amazonaws.com', eventName: 'RunTask', eventTime: '2026-01-01T00:00:00Z',
        actor: { console: false, type: 'Root' }, env: 'dev', mutating: false, account: 'x',
      }),
    ).events[0]!
    expect(forged.subject.actor).toEqual(forged.context.actor)
    expect(forged.subject.env).toBeUndefined()
    expect(forged.subject.account).toBeUndefined()
    expect(forged.subject.mutating).toBe(true)
  })
})

describe('readEvents over every fixture', () => {
  it.each(fixturePaths('corpus').concat(fixturePaths('corpus/fragments'), fixturePaths('rules/ecs/fixtures')))('%s never throws', (path) => {
    const { events, rejections } = readEvents(fixtureText(path), settings)
    expect(events.length + rejections.length).toBeGreaterThan(0)
    for (const e of events) expect(e.context.eventKey).toMatch(/:/)
  })
})

describe('prototype names in events (found by the fuzzer)', () => {
  it('eventName, eventType and userIdentity.type named after Object.prototype members read as plain strings', () => {
    const { events } = readEvents(JSON.stringify({ eventSource: 'ecs.amazonaws.com', eventName: 'constructor', eventTime: 't', eventType: 'toString', userIdentity: { type: 'hasOwnProperty' } }))
    expect(events[0]?.context).toMatchObject({ detailType: 'AWS API Call via CloudTrail', actor: { type: 'Unknown' } })
  })
})

describe('the event key stays a bounded, printable key (issue 16: it keys idempotency memories)', () => {
  const base = fixtureJson('rules/ecs/fixtures/BUILT__ecs__DeleteService__IAMUser_cli_longTermKey_prod.json')
  const keyOf = (eventID: unknown, recipientAccountId: unknown = '111122223333') =>
    readEvents(JSON.stringify({ ...base, eventID, recipientAccountId })).events[0]!.context.eventKey
  it('keeps a real eventID as it is', () => {
    expect(keyOf('3b1f8c2e-5d4a-4e6f-9a8b-7c6d5e4f3a2b')).toBe('111122223333:3b1f8c2e-5d4a-4e6f-9a8b-7c6d5e4f3a2b')
  })
  it.each([
    ['a 100 KB eventID', 'e'.repeat(100_000)],
    ['a 129-character eventID', 'e'.repeat(129)],
    ['an eventID with a newline', 'abc\ndef'],
    ['an eventID with a lone surrogate', 'abc\ud800'],
    ['an eventID outside ASCII', 'événement'],
  ])('digests %s: sha256:…', (_name, id) => {
    expect(keyOf(id)).toMatch(/^111122223333:sha256:[0-9a-f]{32}$/)
  })
  it('digests an odd account too, and tells ids apart that UTF-8 would merge', () => {
    expect(keyOf('id-1', 'a'.repeat(100_000))).toMatch(/^sha256:[0-9a-f]{32}:id-1$/)
    expect(keyOf('x\ud800')).not.toBe(keyOf('x\ufffd'))
    expect(keyOf('e'.repeat(129))).not.toBe(keyOf('e'.repeat(130)))
  })
})

describe('an own __proto__ field of a record (JSON.parse makes one)', () => {
  it('stays a field of the subject: it neither vanishes nor becomes the subject\'s prototype', () => {
    const body = '{"eventSource":"ecs.amazonaws.com","eventName":"RunTask","eventTime":"2026-01-01T00:00:00Z","__proto__":{"errorCode":"AccessDenied"}}'
    const { subject } = readEvents(body).events[0]!
    expect(Object.getPrototypeOf(subject)).toBe(Object.prototype)
    expect(Object.hasOwn(subject, '__proto__')).toBe(true)
    expect(JSON.stringify(subject)).toContain('"__proto__":{"errorCode":"AccessDenied"}')
  })
})
