import { CLOUDTRAIL_COLUMNS, hiveType } from './cloudTrailTable.js'
import { quote } from './sqlText.js'

export interface DdlOptions {
  /** Table name (lower-case letters, digits, underscores). */
  table: string
  /** s3://bucket[/prefix] where the trail writes (AWSLogs/ is appended). */
  location: string
  /** An organisation trail writes under AWSLogs/ORG_ID/ACCOUNT/…: its organisation id. */
  organizationId?: string | undefined
  /** Accounts and regions the partitions enumerate (projection type enum). */
  accounts: readonly string[]
  regions: readonly string[]
  /** First day of logs, yyyy/MM/dd. */
  startDay: string
}

/**
 * The CloudTrail table for Athena with partition projection: AWS's own DDL
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html), with account and
 * region projected as well as the day so one table covers every account and region of a trail (or of an
 * organisation trail, whose S3 layout adds the organisation id: AWSLogs/o-xxx/ACCOUNT/CloudTrail/REGION/yyyy/MM/dd/).
 * The audit query filters on all three partitions, so Athena reads only the days, accounts and regions asked for.
 */
export function cloudTrailDdl(o: DdlOptions): string {
  const base = `${o.location.replace(/\/+$/, '')}/AWSLogs/${o.organizationId ? `${o.organizationId}/` : ''}`
  const columns = Object.entries(CLOUDTRAIL_COLUMNS).map(([name, shape]) => `  ${name.toLowerCase()} ${hiveType(shape)}`)
  const props: Array<[string, string]> = [
    ['projection.enabled', 'true'],
    ['projection.account.type', 'enum'],
    ['projection.account.values', o.accounts.join(',')],
    ['projection.region.type', 'enum'],
    ['projection.region.values', o.regions.join(',')],
    ['projection.timestamp.type', 'date'],
    ['projection.timestamp.format', 'yyyy/MM/dd'],
    ['projection.timestamp.interval', '1'],
    ['projection.timestamp.interval.unit', 'DAYS'],
    ['projection.timestamp.range', `${o.startDay},NOW`],
    ['storage.location.template', `${base}\${account}/CloudTrail/\${region}/\${timestamp}`],
  ]
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${o.table} (`,
    columns.join(',\n'),
    ')',
    'COMMENT \'CloudTrail records for trailwarden audit (partition projection)\'',
    'PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)',
    'ROW FORMAT SERDE \'org.apache.hive.hcatalog.data.JsonSerDe\'',
    'STORED AS INPUTFORMAT \'com.amazon.emr.cloudtrail.CloudTrailInputFormat\'',
    'OUTPUTFORMAT \'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat\'',
    `LOCATION ${quote(base)}`,
    `TBLPROPERTIES (\n${props.map(([k, v]) => `  ${quote(k)} = ${quote(v)}`).join(',\n')}\n)`,
  ].join('\n') + ';\n'
}
