import type { OptionSpec } from './io.js'

/** Where an Athena audit runs (workgroup, table, output): options and their parsing, without the AWS SDK. */
export const ATHENA_OPTIONS = {
  'workgroup': { type: 'string', value: 'NAME', description: 'Athena workgroup (default: ATHENA_WORKGROUP, else primary); the CDK stack creates trailwarden-audit' },
  'output-location': { type: 'string', value: 'S3URI', description: 'where Athena writes results (default: the workgroup\'s own output location)' },
  'database': { type: 'string', value: 'NAME', description: 'Glue database of the CloudTrail table (default: default)' },
  'table': { type: 'string', value: 'NAME', description: 'the CloudTrail table (default: cloudtrail_logs, as trailwarden sql --ddl creates it)' },
} as const satisfies Record<string, OptionSpec>

/**
 * Athena's price for SQL queries: USD 5 per TB scanned, rounded up to 10 MB per query
 * (https://aws.amazon.com/athena/pricing/, "SQL queries", us-east-1; other regions differ a little).
 */
export const ATHENA_USD_PER_TB = 5
export const ATHENA_MINIMUM_BYTES = 10 * 1024 * 1024

/** What a query cost: the bytes it scanned, billed with the 10 MB minimum. */
export const athenaCost = (bytes: number): number => (Math.max(bytes, ATHENA_MINIMUM_BYTES) / 1e12) * ATHENA_USD_PER_TB

const NAME = /^[a-z0-9_]{1,255}$/

export interface AthenaTarget {
  dialect: 'athena'
  table: string
  database: string
  workgroup: string
  outputLocation?: string | undefined
}

export function athenaTarget(values: { 'workgroup'?: string | undefined, 'output-location'?: string | undefined, 'database'?: string | undefined, 'table'?: string | undefined }, env: NodeJS.ProcessEnv = {}): AthenaTarget {
  const database = (values.database ?? 'default').toLowerCase()
  const table = (values.table ?? 'cloudtrail_logs').toLowerCase()
  return {
    dialect: 'athena',
    // Athena names are lower-case letters, digits and underscores; quoted so none is read as a keyword.
    table: NAME.test(database) && NAME.test(table) ? `"${database}"."${table}"` : 'invalid',
    database,
    workgroup: values.workgroup ?? env.ATHENA_WORKGROUP ?? 'primary',
    outputLocation: values['output-location'],
  }
}
