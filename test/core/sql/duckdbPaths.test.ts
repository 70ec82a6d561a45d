import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { duckdbPathLevels, memberPointer } from '../../../src/core/sql/auditQuery.js'
import { quote } from '../../../src/core/sql/sqlText.js'
import { duckdbWithRecords } from '../../support/duckdbRecords.js'

/** Records whose shapes tell a JSON Pointer from a JSONPath, if they differ: arrays under numeric keys, escapes, null. */
const RECORDS = [
  { 'eventID': 'a', 'a': [10, 20], 'b': { 0: 'zero', x: null }, 'c~d': 1, 'e/f': 2, 'g.h': 3, 'i\'j': 4, '': 5, '-': 6, 'n': { m: { k: 'deep' } } },
  { 'eventID': 'b', 'a': { 0: 'member' }, 'b': 'text', 'n': [{ m: 1 }], 'c~d': null },
  { eventID: 'c' },
]
const KEYS = [['a', '0'], ['a', '1'], ['b', '0'], ['b', 'x'], ['b', 'y'], ['c~d'], ['e/f'], ['g.h'], ['i\'j'], ['-'], ['n', 'm', 'k'], ['n', 'm'], ['eventID']]
const jsonPath = (keys: string[]) => `$${keys.map((k) => `."${k}"`).join('')}`

let db: Awaited<ReturnType<typeof duckdbWithRecords>>
beforeAll(async () => {
  db = await duckdbWithRecords(RECORDS)
})
afterAll(() => {
  db.close()
})

describe('the record paths DuckDB reads in one json_extract', () => {
  it('are JSON Pointers where a pointer means the same member, JSONPath where it could index an array', () => {
    expect(memberPointer('$."userIdentity"."sessionContext"')).toBe('/userIdentity/sessionContext')
    expect(memberPointer('$."c~d"."e/f"')).toBe('/c~0d/e~1f')
    expect(memberPointer('$."a"."0"')).toBe('$."a"."0"')
    expect(memberPointer('$."-"')).toBe('$."-"')
    expect(memberPointer('$.""')).toBe('/')
  })

  it('read what one JSONPath json_extract a path reads, JSON null apart from absent', async () => {
    const paths = new Map(KEYS.map((k, i) => [`json_extract(record, ${quote(jsonPath(k))})`, `tw_j${i + 1}`]))
    const [list, columns] = duckdbPathLevels(paths)
    const each = KEYS.map((k, i) => `CAST(json_extract(record, ${quote(jsonPath(k))}) AS VARCHAR) AS p${i + 1}, json_type(json_extract(record, ${quote(jsonPath(k))})) AS t${i + 1}`)
    const ours = KEYS.map((_k, i) => `CAST(tw_j${i + 1} AS VARCHAR) AS p${i + 1}, json_type(tw_j${i + 1}) AS t${i + 1}`)
    const viaList = await db.rows(`SELECT ${ours.join(', ')} FROM (SELECT *, ${columns?.join(', ') ?? ''} FROM (SELECT *, ${list?.join(', ') ?? ''} FROM cloudtrail_records)) ORDER BY json_extract_string(record, '$.eventID')`)
    const onePerPath = await db.rows(`SELECT ${each.join(', ')} FROM cloudtrail_records ORDER BY json_extract_string(record, '$.eventID')`)
    expect(viaList).toEqual(onePerPath)
    // The shapes are there to be told apart: a[0] of an array is no member, b's "0" is.
    expect(onePerPath[0]).toMatchObject({ p1: null, p3: '"zero"', t4: 'NULL', p5: null, p10: '6', p11: '"deep"' })
    // An empty key, which JSONPath cannot name in DuckDB, reads through its pointer.
    const empty = await db.rows(`SELECT CAST(json_extract(record, [${quote(memberPointer('$.""'))}])[1] AS VARCHAR) AS v FROM cloudtrail_records ORDER BY json_extract_string(record, '$.eventID')`)
    expect(empty).toEqual([{ v: '5' }, { v: null }, { v: null }])
  })
})
