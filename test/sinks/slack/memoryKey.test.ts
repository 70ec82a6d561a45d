import { describe, expect, it } from 'vitest'
import { memoryKey } from '../../../src/sinks/slack/memoryKey.js'

describe('memoryKey', () => {
  it('is 32 hex characters whatever the parts hold', () => {
    expect(memoryKey('a')).toMatch(/^[0-9a-f]{32}$/)
    expect(memoryKey('x'.repeat(100_000), 'y'.repeat(100_000))).toMatch(/^[0-9a-f]{32}$/)
  })

  it('tells tuples apart even when their joined text is the same', () => {
    expect(memoryKey('a|b', 'c')).not.toBe(memoryKey('a', 'b|c'))
    expect(memoryKey('ab')).not.toBe(memoryKey('a', 'b'))
    expect(memoryKey('a', 'b')).toBe(memoryKey('a', 'b'))
  })
})
