import { describe, expect, it } from 'vitest'
import { firstPart, splitLast } from '../../src/core/split.js'

// The helpers replace `text.split(sep)[0]!` and `parts[parts.length - 1]!`: they must give exactly what split gives.
const samples = ['ecs.amazonaws.com', 'env', '', '.', 'a.', '.a', 'a..b', 'actor.console', 'a.b.c.d', '...']

describe('split helpers agree with String.prototype.split', () => {
  it('firstPart is split(sep)[0]', () => {
    for (const s of samples) expect(firstPart(s, '.')).toBe(s.split('.')[0])
    expect(firstPart('line one\nline two', '\n')).toBe('line one')
  })

  it('splitLast is split(sep) cut before its last part', () => {
    for (const s of samples) {
      const parts = s.split('.')
      expect(splitLast(s, '.')).toEqual({ init: parts.slice(0, -1), last: parts[parts.length - 1] })
    }
  })
})
