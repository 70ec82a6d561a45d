import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CLOUDTRAIL_COLUMNS, hiveType } from '../../../src/core/sql/cloudTrailTable.js'

/**
 * The CDK construct (deploy/lib/auditTable.ts) creates the Glue table from deploy/lib/cloudTrailColumns.json: the same
 * columns `trailwarden sql --ddl` prints, kept in step here (UPDATE_GOLDEN=1 rewrites the file).
 */
describe('the CDK audit table', () => {
  it('has the columns the SQL compiler reads', () => {
    const columns = Object.entries(CLOUDTRAIL_COLUMNS).map(([name, shape]) => ({ name: name.toLowerCase(), type: hiveType(shape).toLowerCase().replace(/\s+/g, '') }))
    const text = `${JSON.stringify(columns, null, 2)}\n`
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync('deploy/lib/cloudTrailColumns.json', text)
    expect(readFileSync('deploy/lib/cloudTrailColumns.json', 'utf8')).toBe(text)
  })
})
