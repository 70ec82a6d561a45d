import { beforeAll, describe, expect, it } from 'vitest'
import type { CloudTrailRecord } from '../../../src/core/intake/types.js'
import { auditQuery } from '../../../src/core/sql/auditQuery.js'
import { duckdbWithRecords } from '../../support/duckdbRecords.js'
import { bundledRules, CORPUS, recordsIn, RULE_FIXTURES, ruleTestRecords } from '../../support/sqlAgreement.js'

let rules: Awaited<ReturnType<typeof bundledRules>>
beforeAll(async () => {
  rules = await bundledRules()
})

/** The (eventID rule) pairs DuckDB returns for every bundled rule, one query for the set or one per rule. */
/** The bundled rules on change.* fields: refused for SQL by design. */
const CHANGE_RULES = ['ecs-desired-count-halved-in-prod', 'ecs-exec-switched-on', 'ecs-image-changed-to-untrusted-registry', 'ecs-revision-adds-privileged-or-host-mount']

async function sqlMatches(records: readonly CloudTrailRecord[], perRule: boolean): Promise<{ pairs: string[], refused: string[] }> {
  const db = await duckdbWithRecords(records)
  try {
    const q = auditQuery(rules.ruleSet.rules, { dialect: 'duckdb', table: 'cloudtrail_records', lists: rules.lists, settings: rules.normaliseOptions, perRule })
    const pairs: string[] = []
    for (const s of q.statements) for (const row of await db.rows(s.sql)) pairs.push(`${String(row.event_id)} ${String(row.rule_id)}`)
    return { pairs: pairs.sort(), refused: q.refused.map((r) => r.rule.id) }
  } finally {
    db.close()
  }
}

describe('DuckDB returns the (event, rule) pairs the engine matches, for every bundled rule', () => {
  it('refuses for DuckDB only the bundled rules on change.* (before → after needs earlier events, not one row)', async () => {
    const { refused } = await sqlMatches([], false)
    expect([...refused].sort()).toEqual(CHANGE_RULES)
  })

  it.each([['the shared corpus', CORPUS, 40], ['the rule fixtures', RULE_FIXTURES, 15]] as const)('over every record of %s, one query for the set', async (_name, folder, least) => {
    const records = recordsIn(folder)
    const { pairs } = await sqlMatches(records, false)
    const expected = rules.engineMatches(records)
    expect(pairs).toEqual(expected)
    expect(expected.length).toBeGreaterThan(least > 20 ? 0 : 20)
    expect(records.length).toBeGreaterThan(least)
  })

  it('over every rule test case\'s event (fixtures changed with set:)', async () => {
    const records = ruleTestRecords(rules)
    expect(records.length).toBeGreaterThan(60)
    const { pairs } = await sqlMatches(records, false)
    const expected = rules.engineMatches(records)
    expect(pairs).toEqual(expected)
    expect(expected.length).toBeGreaterThan(30)
  })

  it('over the rule fixtures, one query per rule', async () => {
    const records = recordsIn(RULE_FIXTURES)
    const { pairs } = await sqlMatches(records, true)
    expect(pairs).toEqual(rules.engineMatches(records))
  })
})
