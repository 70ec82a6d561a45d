import { describe, expect, it } from 'vitest'
import { parseBody } from '../../../src/core/intake/parseBody.js'
import { fixtureJson, fixturePaths, fixtureText } from '../../support/fixtures.js'

const envelopeFile = 'corpus/WRAPPED-BY-RESEARCHER__envelope__ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json'
const snsOf = (message: string) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: '0b5a7a1c-0000-4000-8000-000000000001',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:cloudtrail-ecs',
    Message: message,
    Timestamp: '2026-11-02T10:00:00.000Z',
  })

describe('parseBody: every shape a CloudTrail record arrives in', () => {
  it.each([
    ['an EventBridge envelope', fixtureText(envelopeFile), 'eventbridge', 1],
    ['a bare record (target InputPath $.detail)', fixtureText('corpus/ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json'), 'record', 1],
    ['a CloudTrail S3 log file', fixtureText('corpus/other__ec2_StartInstances__S3LogFile_Records__awsdocs.json'), 's3-log-file', 1],
    ['an SNS notification carrying an envelope', snsOf(fixtureText(envelopeFile)), 'sns', 1],
    ['an SNS notification carrying a bare record', snsOf(fixtureText('corpus/ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json')), 'sns', 1],
    ['a decoded CloudWatch Logs subscription payload', fixtureText('corpus/format__CloudWatchLogs_subscription_payload_decoded__with_ECS__logicmonitor.json'), 'cloudwatch-logs', 67],
    ['a real third-party envelope', fixtureText('corpus/envelope__s3_CreateBucket__Root_S3Console__custodian.json'), 'eventbridge', 1],
  ])('%s', (_name, body, shape, count) => {
    const parsed = parseBody(body)
    expect(parsed.rejections).toEqual([])
    expect(parsed.records).toHaveLength(count)
    expect(parsed.records.every((r) => r.shape === shape)).toBe(true)
  })

  it('keeps the envelope fields of an EventBridge event', () => {
    const [first] = parseBody(fixtureText(envelopeFile)).records
    expect(first?.envelope).toEqual({
      id: 'WRAPPED-BY-RESEARCHER-0001',
      detailType: 'AWS API Call via CloudTrail',
      source: 'aws.ecs',
      account: '123456789012',
      region: 'us-east-1',
      time: '2018-06-20T19:04:36Z',
    })
    expect(first?.record.eventName).toBe('CreateCluster')
  })

  it('accepts the console-action and service-event detail-types too', () => {
    for (const detailType of ['AWS Console Action via CloudTrail', 'AWS Service Event via CloudTrail']) {
      const envelope = { ...fixtureJson(envelopeFile), 'detail-type': detailType }
      expect(parseBody(JSON.stringify(envelope)).records).toHaveLength(1)
    }
  })
})

describe('parseBody: typed rejections, never a throw', () => {
  const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`
  it.each([
    ['not JSON', '{"eventName": "RunTask"', 'not-json'],
    ['an empty body', '', 'not-json'],
    ['a JSON array', '[1, 2]', 'not-object'],
    ['a JSON string', '"hello"', 'not-object'],
    ['JSON null', 'null', 'not-object'],
    ['an object of no known shape', '{"hello": "world"}', 'unknown-shape'],
    ['nesting deeper than the limit', deep, 'too-deep'],
    ['an ECS state-change event (not CloudTrail)', JSON.stringify({ 'detail-type': 'ECS Task State Change', 'source': 'aws.ecs', 'detail': {} }), 'unknown-shape'],
    ['an envelope whose detail is not an object', JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', 'detail': 'x' }), 'not-object'],
    ['the malformed AWS doc sample (fields inside userIdentity)', fixtureText('corpus/ecs-actor__elb_DescribeTargetHealth__AWSServiceRoleForECS_Throttling_MALFORMED__awsdocs.json'), 'unknown-shape'],
    ['a CloudTrail Insights record', fixtureText('corpus/other__autoscaling_Insight_CompleteLifecycleAction__awsdocs.json'), 'not-an-api-call'],
    ['a partial record with no eventTime', fixtureText('corpus/fragments/ecs__CreateService__cryptomining_desiredCount25_publicIp_FRAGMENT__datadog.json'), 'missing-fields'],
    ['a record whose eventName is not a string', JSON.stringify({ eventSource: 'ecs.amazonaws.com', eventName: 7, eventTime: '2026-01-01T00:00:00Z' }), 'missing-fields'],
    ['SNS inside SNS', snsOf(snsOf(fixtureText(envelopeFile))), 'unknown-shape'],
  ])('%s', (_name, body, reason) => {
    const parsed = parseBody(body)
    expect(parsed.records).toEqual([])
    expect(parsed.rejections.map((r) => r.reason)).toEqual([reason])
    expect(parsed.rejections[0]?.message.length).toBeGreaterThan(10)
  })

  it('rejects a body over the size limit by its UTF-8 length', () => {
    const body = JSON.stringify({ eventSource: 'ecs.amazonaws.com', eventName: 'RunTask', eventTime: 't', pad: 'é'.repeat(600) })
    expect(parseBody(body, { maxBodyBytes: 1000, maxDepth: 64 }).rejections[0]).toMatchObject({
      reason: 'too-large',
      message: expect.stringContaining('over the 1000-byte limit') as unknown,
    })
    expect(parseBody(body, { maxBodyBytes: 2000, maxDepth: 64 }).records).toHaveLength(1)
    // Exactly at the limit is read; one byte over is not (the count is UTF-8's, as Buffer.byteLength's).
    const bytes = Buffer.byteLength(body, 'utf8')
    expect(parseBody(body, { maxBodyBytes: bytes, maxDepth: 64 }).records).toHaveLength(1)
    expect(parseBody(body, { maxBodyBytes: bytes - 1, maxDepth: 64 }).rejections[0]?.reason).toBe('too-large')
    // A lone surrogate in the text itself counts 3 bytes, as the encoder's U+FFFD.
    const lone = `{"eventSource":"ecs.amazonaws.com","eventName":"RunTask","eventTime":"t","pad":"${'\ud800'.repeat(400)}"}`
    expect(parseBody(lone, { maxBodyBytes: Buffer.byteLength(lone), maxDepth: 64 }).records).toHaveLength(1)
    expect(parseBody(lone, { maxBodyBytes: Buffer.byteLength(lone) - 1, maxDepth: 64 }).rejections[0]?.reason).toBe('too-large')
  })

  it('reads the good records of a log file and rejects the others by position', () => {
    const parsed = parseBody(fixtureText('corpus/other__ssm_Insights_ApiCallRateInsight_pair__S3LogFile__awsdocs.json'))
    expect(parsed.rejections.map((r) => [r.reason, r.index])).toEqual([
      ['not-an-api-call', 0],
      ['not-an-api-call', 1],
    ])
    const mixed = {
      Records: [fixtureJson('corpus/ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json'), 'junk', { eventName: 'x' }],
    }
    const out = parseBody(JSON.stringify(mixed))
    expect(out.records.map((r) => r.index)).toEqual([0])
    expect(out.rejections.map((r) => [r.reason, r.index])).toEqual([
      ['not-object', 1],
      ['missing-fields', 2],
    ])
  })

  it('does not let __proto__, constructor or prototype keys pollute anything', () => {
    const body = `{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "eventSource": "ecs.amazonaws.com", "eventName": "RunTask", "eventTime": "2026-01-01T00:00:00Z"}`
    const [r] = parseBody(body).records
    expect(r?.record.eventName).toBe('RunTask')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(r?.record)).toBe(Object.prototype)
  })

  it.each(fixturePaths('corpus').concat(fixturePaths('corpus/fragments'), fixturePaths('rules/ecs/fixtures')))(
    'reads %s into records or rejections without throwing',
    (path) => {
      const parsed = parseBody(fixtureText(path))
      expect(parsed.records.length + parsed.rejections.length).toBeGreaterThan(0)
    },
  )
})
