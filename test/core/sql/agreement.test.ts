import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRules } from '../../../src/config/loadRules.js'
import { normalise } from '../../../src/core/intake/normalise.js'
import { parseBody } from '../../../src/core/intake/parseBody.js'
import type { CloudTrailRecord } from '../../../src/core/intake/types.js'
import { evaluate } from '../../../src/core/rules/engine/evaluate.js'
import type { RuleSet } from '../../../src/core/rules/engine/ruleSet.js'
import { auditQuery } from '../../../src/core/sql/auditQuery.js'
import type { NormaliseOptions } from '../../../src/core/intake/settings.js'
import { duckdbWithRecords } from '../../support/duckdbRecords.js'
import { repoRoot } from '../../support/fixtures.js'

const CORPUS = '/work/shared/corpus/events/'
const FIXTURES = `${repoRoot}rules/ecs/fixtures/`

/** Every CloudTrail record of a folder's files, whatever the body's shape (envelope, S3 log file, record). */
function recordsIn(folder: string): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = []
  for (const f of readdirSync(folder).filter((n) => n.endsWith('.json')).sort()) {
    const parsed = parseBody(readFileSync(`${folder}${f}`, 'utf8'), { maxBodyBytes: 16 * 1024 * 1024, maxDepth: 64 })
    out.push(...parsed.records.map((r) => r.record))
  }
  return out
}

let ruleSet: RuleSet
let options: NormaliseOptions
let lists: Record<string, Array<string | number>>
let settings: Awaited<ReturnType<typeof loadRules>>['settings']
beforeAll(async () => {
  const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
  ruleSet = bundle.ruleSet
  settings = bundle.settings
  lists = bundle.config.lists as Record<string, Array<string | number>>
  options = {
    environments: Object.entries(bundle.config.environments).map(([name, env]) => ({ name, ...env })),
    mfaEnforcedUpstream: bundle.config.mfa.enforcedUpstream,
  }
})

/** (eventID, rule) pairs the engine matches: each record alone, as an archive holds it, exceptions judged at its time. */
function engineMatches(records: readonly CloudTrailRecord[]): string[] {
  const out: string[] = []
  for (const record of records) {
    const event = normalise({ record, shape: 's3-log-file' }, settings)
    for (const m of evaluate(ruleSet, event, Date.parse(record.eventTime)).matched) out.push(`${String(record.eventID)} ${m.rule.id}`)
  }
  return out.sort()
}

async function sqlMatches(records: readonly CloudTrailRecord[]): Promise<{ pairs: string[], refused: string[] }> {
  const db = await duckdbWithRecords(records)
  try {
    const q = auditQuery(ruleSet.rules, { dialect: 'duckdb', table: 'cloudtrail_records', lists, settings: options })
    const pairs: string[] = []
    for (const s of q.statements) for (const row of await db.rows(s.sql)) pairs.push(`${String(row.event_id)} ${String(row.rule_id)}`)
    return { pairs: pairs.sort(), refused: q.refused.map((r) => r.rule.id) }
  } finally {
    db.close()
  }
}

describe('DuckDB returns the (event, rule) pairs the engine matches', () => {
  it('over every record of the shared corpus', async () => {
    const records = recordsIn(CORPUS)
    expect(records.length).toBeGreaterThan(40)
    const { pairs, refused } = await sqlMatches(records)
    const expected = engineMatches(records).filter((p) => !refused.some((id) => p.endsWith(` ${id}`)))
    expect(pairs).toEqual(expected)
    expect(expected.length).toBeGreaterThan(0)
  })

  it('over every rule fixture', async () => {
    const records = recordsIn(FIXTURES)
    const { pairs, refused } = await sqlMatches(records)
    const expected = engineMatches(records).filter((p) => !refused.some((id) => p.endsWith(` ${id}`)))
    expect(pairs).toEqual(expected)
    expect(expected.length).toBeGreaterThan(5)
  })
})

afterAll(() => undefined)
