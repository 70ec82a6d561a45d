import { describe, expect, it } from 'vitest'
import { closest, didYouMean } from '../../../../src/core/rules/language/problem.js'

/** Textbook Levenshtein over a full matrix: the reference the row-by-row version must agree with. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
  return d[a.length]![b.length]!
}

const WORDS = ['', 'a', 'ab', 'ba', 'abc', 'eventName', 'evntName', 'eventname', 'eventSource', 'actor', 'acter', 'actr', 'ecs', 'env', 'errorCode', 'eror', 'mutating', 'mutatign', 'région', 'region']

describe('closest: "did you mean" within two edits', () => {
  it('suggests a candidate exactly when the edit distance (case-insensitive) is at most 2', () => {
    for (const word of WORDS) {
      for (const candidate of WORDS) {
        const near = reference(word.toLowerCase(), candidate.toLowerCase()) <= 2
        expect(closest(word, [candidate]), `${word} → ${candidate}`).toBe(near ? candidate : undefined)
      }
    }
  })

  it('picks the nearest of several and says so', () => {
    expect(closest('evntName', ['eventSource', 'eventName', 'eventTime'])).toBe('eventName')
    expect(didYouMean('acter', ['actor', 'env'])).toBe(' — did you mean \'actor\'?')
    expect(didYouMean('zzzzzz', ['actor', 'env'])).toBe('')
  })
})
