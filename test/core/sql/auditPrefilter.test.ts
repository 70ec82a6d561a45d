import { beforeAll, describe, expect, it } from 'vitest'
import { auditQuery } from '../../../src/core/sql/auditQuery.js'
import { duckdbWithRecords } from '../../support/duckdbRecords.js'
import { bundledRules, CORPUS, recordsIn } from '../../support/sqlAgreement.js'

let rules: Awaited<ReturnType<typeof bundledRules>>
beforeAll(async () => {
  rules = await bundledRules()
})

const query = (chosen: typeof rules.ruleSet.rules) =>
  auditQuery(chosen, { dialect: 'duckdb', table: 'cloudtrail_records', lists: rules.lists, settings: rules.normaliseOptions })

describe('the DuckDB query keeps only records some rule can match before deriving their context', () => {
  it('filters on the eventSource every rule lists, in the CTE after the record\'s own fields', () => {
    const sql = query(rules.ruleSet.rules).statements[0]?.sql ?? ''
    expect(sql).toMatch(/FROM t\d+ WHERE \(tw_event_source IS NOT NULL\).* AND \(tw_event_source IN \('ecs\.amazonaws\.com'\)\)\),\n/)
    expect(sql).toMatch(/records AS \(SELECT \* FROM t\d+\)/)
  })

  it('does not when one rule names no eventSource list, as the engine then tries that rule on every source', () => {
    const [first, ...rest] = rules.ruleSet.rules
    if (!first) throw new Error('no bundled rules')
    const sql = query([{ ...first, eventSources: undefined }, ...rest]).statements[0]?.sql ?? ''
    expect(sql).not.toContain('tw_event_source IN (')
  })

  it('returns the same rows as the query without it, over the shared corpus (other services\' records included)', async () => {
    const records = recordsIn(CORPUS)
    expect(new Set(records.map((r) => r.eventSource)).size).toBeGreaterThan(3)
    const db = await duckdbWithRecords(records)
    try {
      const rows = async (chosen: typeof rules.ruleSet.rules) => {
        const out: unknown[] = []
        for (const s of query(chosen).statements) out.push(...await db.rows(s.sql))
        return out
      }
      const filtered = await rows(rules.ruleSet.rules)
      expect(filtered.length).toBeGreaterThan(0)
      expect(await rows(rules.ruleSet.rules.map((r) => ({ ...r, eventSources: undefined, eventNames: undefined })))).toEqual(filtered)
    } finally {
      db.close()
    }
  })
})
