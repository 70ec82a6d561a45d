import { describe, expect, it } from 'vitest'
import { matchesPattern } from '../../../src/core/rules/pattern/matchesPattern.js'
import { eventPatternQuery } from '../../../src/core/sql/eventPatternSql.js'
import { SqlRefusal } from '../../../src/core/sql/sqlRefusal.js'
import { duckdbWithRecords } from '../../support/duckdbRecords.js'
import { fixtureText } from '../../support/fixtures.js'

interface Case { rule: string, case: string, case_file: string, expected: boolean }
const manifest = (JSON.parse(fixtureText('event-ruler/manifest.json')) as Case[]).filter((c) => c.rule.startsWith('aws-event-ruler'))

/** One pattern against events, by DuckDB: which of them match. */
async function duckdbVerdicts(pattern: unknown, events: readonly unknown[]): Promise<boolean[]> {
  const db = await duckdbWithRecords([])
  try {
    await db.connection.run('CREATE TABLE cases (id INTEGER, record JSON)')
    for (const [i, e] of events.entries()) await db.connection.run(`INSERT INTO cases VALUES (${i}, '${JSON.stringify(e).replaceAll('\'', '\'\'')}')`)
    const ids = new Set((await db.rows(eventPatternQuery(pattern, 'cases'))).map((r) => Number(r.id)))
    return events.map((_e, i) => ids.has(i))
  } finally {
    db.close()
  }
}

describe('DuckDB agrees with the engine on aws/event-ruler\'s own cases that SQL can express', () => {
  it('every expressible case gives the engine\'s answer (and aws/event-ruler\'s)', async () => {
    const refused: string[] = []
    let checked = 0
    for (const c of manifest) {
      const { pattern, event } = JSON.parse(fixtureText(`event-ruler/${c.case_file}`)) as { pattern: unknown, event: unknown }
      try {
        eventPatternQuery(pattern, 'cases')
      } catch (err) {
        if (err instanceof SqlRefusal) {
          refused.push(`${c.case_file}: ${err.message}`)
          continue
        }
        throw err
      }
      const [sql] = await duckdbVerdicts(pattern, [event])
      expect({ file: c.case_file, sql }).toEqual({ file: c.case_file, sql: matchesPattern(pattern, event) })
      expect(sql).toBe(c.expected)
      checked += 1
    }
    // All 81 of them are expressible today.
    expect(refused).toEqual([])
    expect(checked).toBe(manifest.length)
  })
})

/** Each operator at its edges: JSON null, absent, wrong types, arrays, arrays of arrays, objects. */
const EVENTS = [
  { a: 'x' }, { a: 'X' }, { a: null }, {}, { a: 5 }, { a: 5.5 }, { a: true }, { a: false }, { a: ['x', 'y'] }, { a: [] }, { a: [['x']] },
  { a: [[['deep']]] }, { a: { b: 'x' } }, { a: [{ b: 'x' }, { b: 'y', c: 1 }] }, { a: 'prefix-suffix' }, { a: '10.1.2.3' }, { a: '10.1.2.300' },
  { a: '192.168.0.1' }, { a: 'a%b_c\\d' }, { a: 'it\'s' }, { a: '' }, { a: [null] }, { a: ['5', 5] }, { a: 'ÄBC' }, { a: '*star*' },
]
const PATTERNS: Array<[string, unknown]> = [
  ['literal string', { a: ['x'] }],
  ['literal number (type-sensitive)', { a: [5] }],
  ['literal boolean', { a: [true] }],
  ['literal null', { a: [null] }],
  ['prefix', { a: [{ prefix: 'pre' }] }],
  ['suffix', { a: [{ suffix: 'fix' }] }],
  ['prefix ignoring case', { a: [{ prefix: { 'equals-ignore-case': 'ä' } }] }],
  ['equals-ignore-case', { a: [{ 'equals-ignore-case': 'x' }] }],
  ['wildcard with LIKE metacharacters', { a: [{ wildcard: 'a%b_c\\\\d' }] }],
  ['wildcard with stars', { a: [{ wildcard: '*-suf*' }] }],
  ['wildcard with an escaped star', { a: [{ wildcard: '\\**' }] }],
  ['numeric range', { a: [{ numeric: ['>', 1, '<=', 5] }] }],
  ['numeric equals', { a: [{ numeric: ['=', 5.5] }] }],
  ['exists true', { a: [{ exists: true }] }],
  ['exists false', { a: [{ exists: false }] }],
  ['anything-but a value', { a: [{ 'anything-but': 'x' }] }],
  ['anything-but a number', { a: [{ 'anything-but': [5] }] }],
  ['anything-but prefix', { a: [{ 'anything-but': { prefix: 'pre' } }] }],
  ['anything-but equals-ignore-case', { a: [{ 'anything-but': { 'equals-ignore-case': ['x'] } }] }],
  ['cidr', { a: [{ cidr: '10.0.0.0/8' }] }],
  ['regex (RE2)', { a: [{ regex: '^p.*x$' }] }],
  ['a quote in a value', { a: ['it\'s'] }],
  ['nested object through an array', { a: { b: ['y'], c: [1] } }],
  ['nested object, exists false', { a: { b: [{ exists: false }] } }],
  ['$or', { $or: [{ a: ['x'] }, { a: [5] }] }],
  ['empty string', { a: [''] }],
]

describe('each operator agrees with the engine at its edges', () => {
  it.each(PATTERNS)('%s', async (_name, pattern) => {
    const sql = await duckdbVerdicts(pattern, EVENTS)
    const differ = EVENTS.filter((e, i) => sql[i] !== matchesPattern(pattern, e)).map((e) => JSON.stringify(e))
    expect(differ).toEqual([])
  })

  it('refuses an IPv6 block rather than approximate it', () => {
    expect(() => eventPatternQuery({ a: [{ cidr: '2001:db8::/32' }] }, 'cases')).toThrow(SqlRefusal)
  })

  it('refuses regex on Athena, whose regular expressions are not RE2', () => {
    expect(() => eventPatternQuery({ eventName: [{ regex: 'x$' }] }, 'cases', 'athena')).toThrow(/Joni/)
  })
})
