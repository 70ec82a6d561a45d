import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCloudTrailClient } from '../../src/commands/clients.js'
import { type CloudTrailDouble, startCloudTrailDouble } from './cloudTrailDouble.js'
import { webServiceSequence } from './eventHistoryData.js'

let double: CloudTrailDouble
beforeAll(async () => {
  double = await startCloudTrailDouble()
})
afterAll(async () => {
  await double.close()
})

/** The double answers the real SDK as LookupEvents does, so the SDK's own parsing is what the engine sees. */
describe('the LookupEvents double, through the real @aws-sdk/client-cloudtrail', () => {
  it('serves pages the SDK parses: Date EventTimes, the record as a CloudTrailEvent string, a NextToken while more remain', async () => {
    double.setRecords('eu-west-1', webServiceSequence())
    const client = createCloudTrailClient('eu-west-1', double.url, { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' })
    const first = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'ecs.amazonaws.com' }], MaxResults: 4 }))
    expect(first.Events).toHaveLength(4)
    expect(first.Events![0]!.EventTime).toEqual(new Date('2026-11-08T09:05:07Z'))
    expect((JSON.parse(first.Events![0]!.CloudTrailEvent!) as { eventID: string }).eventID).toBe(first.Events![0]!.EventId)
    expect(first.NextToken).toEqual(expect.any(String))
    expect(double.calls[0]).toMatchObject({ region: 'eu-west-1', target: 'CloudTrail_20131101.LookupEvents', answer: 'page' })
    const error = await client.send(new LookupEventsCommand({ NextToken: 'forged' })).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'InvalidNextTokenException' })
  })
})
