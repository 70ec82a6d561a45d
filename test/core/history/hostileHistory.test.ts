import { describe, expect, it } from 'vitest'
import { buildHistory } from '../../../src/core/history/buildHistory.js'
import { HISTORY_FORMATS, historyReport } from '../../../src/core/history/historyReport.js'
import { normaliseEach } from '../../../src/core/intake/readEvents.js'
import type { CloudTrailRecord } from '../../../src/core/intake/types.js'
import { webServiceSequence } from '../../support/eventHistoryData.js'

/** Fields history reads, each set to values an attacker (or a damaged record) could put there. */
const FIELDS: ReadonlyArray<readonly string[]> = [
  ['requestParameters'], ['requestParameters', 'desiredCount'], ['requestParameters', 'taskDefinition'], ['requestParameters', 'networkConfiguration'],
  ['requestParameters', 'enableExecuteCommand'], ['requestParameters', 'command'], ['responseElements'], ['responseElements', 'service'],
  ['responseElements', 'taskDefinition'], ['userIdentity'], ['userIdentity', 'arn'], ['sourceIPAddress'], ['userAgent'], ['errorCode'], ['eventID'],
]
const VALUES: readonly unknown[] = [
  null, {}, [], 1e308, -1, true, '\u001b[2J\u001b[31mred\u202e', 'x'.repeat(100_000), { toString: 1, valueOf: 2 },
  JSON.parse('{"__proto__": {"polluted": 1}}'), ['a', { b: [1] }], '| cell | `code` <b> @here', '=HYPERLINK("http://evil.example")',
]

const setPath = (r: Record<string, unknown>, path: readonly string[], value: unknown) => {
  let at = r
  for (const k of path.slice(0, -1)) {
    const next = at[k]
    if (next === null || typeof next !== 'object') at[k] = {}
    at = at[k] as Record<string, unknown>
  }
  at[path[path.length - 1]!] = value
}

describe('history over hostile records', () => {
  it('never throws, keeps every row on one line, and lets no control character or formula through', () => {
    let rows = 0
    for (const path of FIELDS) {
      for (const value of VALUES) {
        const records = webServiceSequence().map((r) => {
          const copy = JSON.parse(JSON.stringify(r)) as Record<string, unknown>
          setPath(copy, path, value)
          return { record: copy as CloudTrailRecord, shape: 'record' as const }
        })
        const history = buildHistory(normaliseEach(records).events, { service: 'web', family: 'web' })
        rows += history.length
        for (const format of HISTORY_FORMATS) {
          const text = historyReport(history, format)
          expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e]/)
          expect(text.length).toBeLessThan(200_000)
          if (format === 'csv') expect(text).not.toMatch(/(^|,)"?=/m)
        }
      }
    }
    expect(rows).toBeGreaterThan(FIELDS.length * VALUES.length * 5)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
