import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { utf8Length } from '../../../src/core/intake/utf8Length.js'

// Buffer.byteLength is the reference (tests may use Node; the core may not).
describe('utf8Length counts as Buffer.byteLength does, without Buffer', () => {
  it.each([
    ['empty', ''],
    ['ASCII', '{"eventName":"RunTask"}'],
    ['two-byte', 'é ß Ж'],
    ['three-byte', '€ 日本 \u2028 \ufffd'],
    ['a surrogate pair (four bytes)', '😀 𝄞'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
    ['a high surrogate at the end', 'abc\ud83d'],
    ['a low then a high surrogate (no pair)', '\ude00\ud83d'],
    ['two high surrogates then a low', '\ud83d\ud83d\ude00'],
    ['the edges of each width', '\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}'],
  ])('%s', (_name, text) => {
    expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'))
  })

  it('agrees on any string of UTF-16 units, lone surrogates included', () => {
    // Units and code points mixed: lone surrogates, pairs, and every width (fc.string's 'binary' unit is slow to build).
    const piece = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    )
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
      const text = pieces.join('')
      return utf8Length(text) === Buffer.byteLength(text, 'utf8')
    }), { numRuns: 500, seed: 20261122 })
  })

  it('stops counting once over the bound, and says it is over', () => {
    const text = '€'.repeat(1000)
    expect(utf8Length(text, 10)).toBe(12)
    expect(utf8Length(text, 3000)).toBe(3000)
    expect(utf8Length(text, 2999)).toBeGreaterThan(2999)
  })
})
