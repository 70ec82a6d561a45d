import { describe, expect, it } from 'vitest'
import { type Known, summariseChange } from '../../../src/core/history/summariseChange.js'
import type { CloudTrailRecord } from '../../../src/core/intake/types.js'
import { fixtureText } from '../../support/fixtures.js'

const fixture = (name: string) => JSON.parse(fixtureText(`rules/ecs/fixtures/${name}`)) as CloudTrailRecord
const none: Known = { before: undefined, imagesOf: () => undefined, latestOf: () => undefined }
const record = (eventName: string, requestParameters: unknown, responseElements: unknown = null): CloudTrailRecord =>
  ({ eventSource: 'ecs.amazonaws.com', eventName, eventTime: '2026-11-02T10:00:00Z', requestParameters, responseElements })

describe('summariseChange', () => {
  const cases: Array<[string, CloudTrailRecord, Known, string]> = [
    ['UpdateService, desired count with the count before known', record('UpdateService', { cluster: 'c', service: 's', desiredCount: 0 }), { ...none, before: { desiredCount: 3 } }, 'desired count 3 → 0'],
    ['UpdateService, desired count with nothing known before', record('UpdateService', { service: 's', desiredCount: 4 }), none, 'desired count → 4'],
    ['UpdateService, the same count again', record('UpdateService', { service: 's', desiredCount: 2 }), { ...none, before: { desiredCount: 2 } }, 'desired count 2 (unchanged)'],
    ['UpdateService, new revision, images of both known',
      record('UpdateService', { service: 's', taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:44' }),
      { before: { taskDefinition: 'web:43' }, imagesOf: (td) => ({ 'web:43': ['web=repo/web:1.0', 'log=fluent:2'], 'web:44': ['web=repo/web:1.1', 'log=fluent:2'] })[td], latestOf: () => undefined },
      'task definition web:43 → web:44 · image web: 1.0 → 1.1 (repo/web)'],
    ['UpdateService, a bare family: the response names the revision',
      record('UpdateService', { service: 's', taskDefinition: 'web' }, { service: { taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/web:9' } }), none, 'task definition → web:9'],
    ['UpdateService, network and exec', record('UpdateService', { service: 's', enableExecuteCommand: true, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' } } }), { ...none, before: { exec: false } },
      'network subnet-1 sg-1 public IP ENABLED · exec off → on'],
    ['UpdateService, a forced deployment only', record('UpdateService', { service: 's', forceNewDeployment: true }), none, 'new deployment forced'],
    ['UpdateService naming nothing this summary knows', record('UpdateService', { service: 's', capacityProviderStrategy: [] }), none, 'updated capacityProviderStrategy'],
    ['DeleteService, forced', record('DeleteService', { service: 's', force: true }), none, 'deleted (force)'],
    ['DeregisterTaskDefinition', record('DeregisterTaskDefinition', { taskDefinition: 'web:41' }), none, 'deregistered web:41'],
    ['ExecuteCommand: the command, its secret redacted', record('ExecuteCommand', { container: 'web', command: 'mysql -psecretpassword' }), none, 'exec into web: mysql -p‹redacted password›'],
    ['fields of the wrong type are left out, never thrown on', record('UpdateService', { service: 's', desiredCount: '3', taskDefinition: 7, networkConfiguration: 'x' }), none, 'updated desiredCount, taskDefinition, networkConfiguration'],
    ['a call this summary does not know: its name', record('TagResource', { resourceArn: 'x' }), none, 'TagResource'],
    ['RegisterTaskDefinition: the revision and its images', fixture('BUILT__ecs__RegisterTaskDefinition__AssumedRole_pipeline_ecrImage_clean.json'), none,
      'registered web:44 · image web: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.42.0'],
    ['CreateService: everything it sets', fixture('BUILT__ecs__CreateService__AssumedRole_pipeline_terraform_staging.json'), none,
      'created · task definition api:7 · desired count 2 · network subnet-0def1234abc567890 sg-0def1234abc567890 public IP DISABLED · exec off'],
  ]
  it.each(cases)('%s', (_, r, known, text) => {
    expect(summariseChange(r, known).text).toBe(text)
  })

  it('reads the state after the call from the response (the service after UpdateService)', () => {
    expect(summariseChange(fixture('BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json'), none).after).toEqual({ taskDefinition: 'web:43', desiredCount: 3, exec: false })
  })
})
