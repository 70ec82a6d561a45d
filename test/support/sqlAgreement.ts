import { readdirSync, readFileSync } from 'node:fs'
import { loadRules } from '../../src/config/loadRules.js'
import { effectiveLists, normaliseOptionsOf } from '../../src/commands/sqlOptions.js'
import { normalise } from '../../src/core/intake/normalise.js'
import { parseBody } from '../../src/core/intake/parseBody.js'
import type { CloudTrailRecord } from '../../src/core/intake/types.js'
import { evaluate } from '../../src/core/rules/engine/evaluate.js'
import { repoRoot } from './fixtures.js'

export const CORPUS = '/work/shared/corpus/events/'
export const RULE_FIXTURES = `${repoRoot}rules/ecs/fixtures/`

/** Every CloudTrail record of a folder's .json files, whatever the body's shape (envelope, S3 log file, record). */
export function recordsIn(folder: string): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = []
  for (const f of readdirSync(folder).filter((n) => n.endsWith('.json')).sort()) {
    const parsed = parseBody(readFileSync(`${folder}${f}`, 'utf8'), { maxBodyBytes: 16 * 1024 * 1024, maxDepth: 64 })
    out.push(...parsed.records.map((r) => r.record))
  }
  return out
}

/** Change fields by dotted path; null removes the field (as runRuleTests.ts builds a test event from base + set). */
function applySet(target: Record<string, unknown>, set: Record<string, unknown>): void {
  for (const [path, value] of Object.entries(set)) {
    const parts = path.split('.')
    const last = parts.pop() ?? ''
    let node = target
    for (const part of parts) {
      const next = node[part]
      node = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : (node[part] = {})
    }
    if (value === null) Reflect.deleteProperty(node, last)
    else node[last] = value
  }
}

/** Every rule test case's event (rules/ecs/*.yaml tests: a file, or a base with `set`), each with an eventID of its own. */
export function ruleTestRecords(bundle: Awaited<ReturnType<typeof loadRules>>): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = []
  for (const rule of bundle.ruleSet.rules) {
    rule.tests.forEach((c, i) => {
      let text: string | undefined
      let set: Record<string, unknown> | undefined
      if (typeof c.event === 'string') text = bundle.eventFiles.get(rule.file, c.event)
      else if (typeof c.event.base === 'string') {
        text = bundle.eventFiles.get(rule.file, c.event.base)
        set = c.event.set as Record<string, unknown> | undefined
      } else text = JSON.stringify(c.event)
      if (text === undefined) return
      const parsed = parseBody(text, { maxBodyBytes: 16 * 1024 * 1024, maxDepth: 64 }).records
      for (const [j, r] of parsed.entries()) {
        const record = structuredClone(r.record)
        if (set) applySet(record, set)
        record.eventID = `test-${rule.id}-${i}-${j}`
        out.push(record)
      }
    })
  }
  return out
}

/** The bundled rules with the example config, and everything the SQL compiler needs from them. */
export async function bundledRules() {
  const bundle = await loadRules({ rulesDir: 'rules', configPath: 'trailwarden.example.yaml' })
  return {
    ...bundle,
    lists: await effectiveLists('rules', bundle.config),
    normaliseOptions: normaliseOptionsOf(bundle.config),
    /** (eventID rule) pairs the engine matches: each record alone, as an archive holds it, exceptions judged at its time. */
    engineMatches(records: readonly CloudTrailRecord[], except: readonly string[] = []): string[] {
      const out: string[] = []
      for (const record of records) {
        const event = normalise({ record, shape: 's3-log-file' }, bundle.settings)
        for (const m of evaluate(bundle.ruleSet, event, Date.parse(record.eventTime)).matched) if (!except.includes(m.rule.id)) out.push(`${String(record.eventID)} ${m.rule.id}`)
      }
      return out.sort()
    },
  }
}
