import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as athena from 'aws-cdk-lib/aws-athena'
import * as glue from 'aws-cdk-lib/aws-glue'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import columns from './cloudTrailColumns.json' with { type: 'json' }

export interface AuditTableProps {
  /** The bucket the trail writes to (same account), and its prefix if the trail has one. */
  trailBucketName: string
  trailPrefix?: string
  /** An organisation trail writes under AWSLogs/ORG_ID/: the organisation id. */
  organizationId?: string
  /** Accounts and regions the table's partitions enumerate. */
  accounts: string[]
  regions: string[]
  /** First day of logs (yyyy/MM/dd). Default 2024/01/01. */
  startDay?: string
  /** Stop any one query after this many bytes (a runaway scan's bill). Default 1 TB. */
  bytesScannedCutoff?: number
}

/**
 * What `trailwarden audit --engine athena` needs: the CloudTrail table in Glue with partition projection (the same
 * columns and layout as `trailwarden sql --ddl`; https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html),
 * a workgroup whose results go to a bucket of its own (encrypted, expiring), and a managed policy with exactly the
 * calls the audit makes: attach it to whoever runs audits.
 */
export class AuditTable extends Construct {
  readonly workGroupName = 'trailwarden-audit'
  readonly databaseName = 'trailwarden'
  readonly tableName = 'cloudtrail_logs'
  readonly policy: iam.ManagedPolicy

  constructor(scope: Construct, id: string, props: AuditTableProps) {
    super(scope, id)
    const stack = Stack.of(this)
    const prefix = props.trailPrefix ? `${props.trailPrefix.replace(/^\/+|\/+$/g, '')}/` : ''
    const logs = `${prefix}AWSLogs/${props.organizationId ? `${props.organizationId}/` : ''}`
    const location = `s3://${props.trailBucketName}/${logs}`

    const results = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Query results hold event data: kept a week, then gone.
      lifecycleRules: [{ expiration: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    })

    const database = new glue.CfnDatabase(this, 'Database', { catalogId: stack.account, databaseInput: { name: this.databaseName, description: 'trailwarden audit: CloudTrail records' } })
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'account', type: 'string' }, { name: 'region', type: 'string' }, { name: 'timestamp', type: 'string' }],
        parameters: {
          'classification': 'cloudtrail',
          'projection.enabled': 'true',
          'projection.account.type': 'enum',
          'projection.account.values': props.accounts.join(','),
          'projection.region.type': 'enum',
          'projection.region.values': props.regions.join(','),
          'projection.timestamp.type': 'date',
          'projection.timestamp.format': 'yyyy/MM/dd',
          'projection.timestamp.interval': '1',
          'projection.timestamp.interval.unit': 'DAYS',
          'projection.timestamp.range': `${props.startDay ?? '2024/01/01'},NOW`,
          'storage.location.template': `${location}\${account}/CloudTrail/\${region}/\${timestamp}`,
        },
        storageDescriptor: {
          columns,
          location,
          inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    })
    table.addDependency(database)

    const workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'trailwarden audit --engine athena',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Every query writes to the results bucket, encrypted, whatever the caller asks; and stops at the cutoff.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoff ?? 1_000_000_000_000,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: { outputLocation: `s3://${results.bucketName}/results/`, encryptionConfiguration: { encryptionOption: 'SSE_S3' } },
      },
    })

    const workGroupArn = `arn:${stack.partition}:athena:${stack.region}:${stack.account}:workgroup/${this.workGroupName}`
    const glueArns = [
      `arn:${stack.partition}:glue:${stack.region}:${stack.account}:catalog`,
      `arn:${stack.partition}:glue:${stack.region}:${stack.account}:database/${this.databaseName}`,
      `arn:${stack.partition}:glue:${stack.region}:${stack.account}:table/${this.databaseName}/${this.tableName}`,
    ]
    this.policy = new iam.ManagedPolicy(this, 'AuditPolicy', {
      description: 'Run trailwarden audit --engine athena: its four Athena calls on its workgroup, the table, the trail (read), the results',
      statements: [
        new iam.PolicyStatement({
          sid: 'Queries',
          actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
          resources: [workGroupArn],
        }),
        new iam.PolicyStatement({ sid: 'Table', actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'], resources: glueArns }),
        new iam.PolicyStatement({ sid: 'TrailRead', actions: ['s3:GetObject'], resources: [`arn:${stack.partition}:s3:::${props.trailBucketName}/${logs}*`] }),
        new iam.PolicyStatement({
          sid: 'TrailList',
          actions: ['s3:ListBucket', 's3:GetBucketLocation'],
          resources: [`arn:${stack.partition}:s3:::${props.trailBucketName}`],
          conditions: { StringLike: { 's3:prefix': [`${logs}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'Results',
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListBucket', 's3:GetBucketLocation'],
          resources: [results.bucketArn, results.arnForObjects('results/*')],
        }),
      ],
    })
    workGroup.node.addDependency(results)

    new CfnOutput(this, 'AuditWorkGroup', { value: this.workGroupName, description: 'trailwarden audit --engine athena --workgroup' })
    new CfnOutput(this, 'AuditTableName', { value: `${this.databaseName}.${this.tableName}`, description: 'trailwarden audit --database trailwarden --table cloudtrail_logs' })
    new CfnOutput(this, 'AuditPolicyArn', { value: this.policy.managedPolicyArn, description: 'attach to whoever runs audits' })
  }
}

/** The props from CDK context (cdk deploy -c auditTrailBucket=… -c auditAccounts=… -c auditRegions=…), or undefined: opt in. */
export function auditTablePropsFromContext(scope: Construct): AuditTableProps | undefined {
  const get = (k: string): string | undefined => {
    const v: unknown = scope.node.tryGetContext(k)
    return typeof v === 'string' && v.length > 0 ? v : undefined
  }
  const bucket = get('auditTrailBucket')
  if (!bucket) return undefined
  const list = (k: string) => (get(k) ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  return {
    trailBucketName: bucket,
    trailPrefix: get('auditTrailPrefix'),
    organizationId: get('auditOrganizationId'),
    accounts: list('auditAccounts'),
    regions: list('auditRegions'),
    startDay: get('auditStartDay'),
  }
}
