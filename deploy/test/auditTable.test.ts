import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../bin/app.js'
import { AuditTable } from '../lib/auditTable.js'

const props = { trailBucketName: 'acme-trail', organizationId: 'o-abc123def4', accounts: ['111122223333', '444455556666'], regions: ['eu-west-1', 'us-east-1'] }

function template(): Template {
  const stack = new Stack(new App(), 'T', { env: { account: '111122223333', region: 'eu-west-1' } })
  new AuditTable(stack, 'Audit', props)
  return Template.fromStack(stack)
}

describe('the Athena audit table (opt-in)', () => {
  it('is a Glue table with partition projection over the organisation trail layout', () => {
    template().hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'trailwarden',
      TableInput: Match.objectLike({
        Name: 'cloudtrail_logs',
        PartitionKeys: [{ Name: 'account', Type: 'string' }, { Name: 'region', Type: 'string' }, { Name: 'timestamp', Type: 'string' }],
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.account.values': '111122223333,444455556666',
          'projection.region.values': 'eu-west-1,us-east-1',
          'projection.timestamp.format': 'yyyy/MM/dd',
          'storage.location.template': 's3://acme-trail/AWSLogs/o-abc123def4/${account}/CloudTrail/${region}/${timestamp}',
        }),
        StorageDescriptor: Match.objectLike({
          Location: 's3://acme-trail/AWSLogs/o-abc123def4/',
          InputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        }),
      }),
    })
  })

  it('has a workgroup that enforces its encrypted output location and a scan cutoff', () => {
    template().hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'trailwarden-audit',
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 1_000_000_000_000,
        ResultConfiguration: { OutputLocation: Match.anyValue(), EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      }),
    })
  })

  it('grants exactly the audit\'s calls, each on its own resource (no wildcard actions or resources)', () => {
    const policies = Object.values(template().findResources('AWS::IAM::ManagedPolicy')) as Array<{ Properties: { PolicyDocument: { Statement: Array<{ Action: string[], Resource: unknown }> } } }>
    expect(policies).toHaveLength(1)
    const statements = policies[0]!.Properties.PolicyDocument.Statement
    const actions = statements.flatMap((s) => s.Action).sort()
    expect(actions).toEqual([
      'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution',
      'glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable',
      's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetBucketLocation', 's3:GetObject', 's3:GetObject', 's3:ListBucket', 's3:ListBucket', 's3:PutObject',
    ].sort())
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"|"Action":"\*"/)
    expect(JSON.stringify(statements)).toContain('arn:acme-trail'.replace('arn:', '') + '/AWSLogs/o-abc123def4/*')
  })

  it('results expire and never leave the bucket unencrypted or public', () => {
    const t = template()
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    })
  })

  it('is not in the stack unless asked for, and is with -c auditTrailBucket=…', () => {
    const plain = Template.fromStack(buildApp(new App()).node.findChild('Trailwarden') as never)
    expect(Object.keys(plain.findResources('AWS::Athena::WorkGroup'))).toHaveLength(0)
    const app = new App({ context: { auditTrailBucket: 'acme-trail', auditAccounts: '111122223333', auditRegions: 'eu-west-1' } })
    const withAudit = Template.fromStack(buildApp(app).node.findChild('Trailwarden') as never)
    expect(Object.keys(withAudit.findResources('AWS::Athena::WorkGroup'))).toHaveLength(1)
    expect(Object.keys(withAudit.findResources('AWS::Glue::Table'))).toHaveLength(1)
  })
})
