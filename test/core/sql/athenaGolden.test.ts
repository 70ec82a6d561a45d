import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditQuery } from '../../../src/core/sql/auditQuery.js'
import { bundledRules } from '../../support/sqlAgreement.js'
import { fixturesDir } from '../../support/fixtures.js'

/**
 * The Athena SQL of each bundled rule (example config), kept as golden files: a change to the compiler shows up as a
 * reviewed diff of the SQL a user would run. UPDATE_GOLDEN=1 rewrites them.
 */
const DIR = `${fixturesDir}sql-golden/athena/`
let rules: Awaited<ReturnType<typeof bundledRules>>
beforeAll(async () => {
  rules = await bundledRules()
})

const golden = (name: string, text: string) => {
  const path = `${DIR}${name}`
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(DIR, { recursive: true })
    writeFileSync(path, text)
  }
  expect(text).toBe(readFileSync(path, 'utf8'))
}

describe('the Athena SQL of the bundled rules', () => {
  it('matches the golden file of each rule, and names the refused ones', () => {
    const q = auditQuery(rules.ruleSet.rules, { dialect: 'athena', table: '"default"."cloudtrail_logs"', lists: rules.lists, settings: rules.normaliseOptions, perRule: true })
    for (const s of q.statements) golden(`${s.rules.join('+')}.sql`, `${s.sql};\n`)
    golden('REFUSED.txt', q.refused.map((r) => `${r.rule.id}: ${r.field}: ${r.reason}\n`).join(''))
    expect(q.statements.length + q.refused.length).toBe(rules.ruleSet.rules.length)
  })

  it('keeps the query for the whole set under Athena\'s 256 KB query-string limit', () => {
    const q = auditQuery(rules.ruleSet.rules, { dialect: 'athena', table: '"default"."cloudtrail_logs"', lists: rules.lists, settings: rules.normaliseOptions })
    expect(q.statements).toHaveLength(1)
    // https://docs.aws.amazon.com/athena/latest/ug/service-limits.html: "maximum allowed query string length is 262144 bytes"
    expect(Buffer.byteLength(q.statements[0]?.sql ?? '')).toBeLessThan(262_144)
  })
})
