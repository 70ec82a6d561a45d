import fc from 'fast-check'
import ipaddr from 'ipaddr.js'
import { describe, expect, it } from 'vitest'
import { cidrMatcher } from '../../../../src/core/rules/pattern/cidrMatcher.js'

const blocks = ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.7/32', '0.0.0.0/0', '2001:db8::/32', '::ffff:172.16.0.0/108']
const reference = (cidrs: string[]) => {
  const ranges = cidrs.map((c) => ipaddr.parseCIDR(c))
  return (v: string) => {
    if (!ipaddr.isValid(v)) return false
    const ip = ipaddr.process(v)
    return ranges.some(([r, bits]) => ip.kind() === r.kind() && ip.match(r, bits))
  }
}

describe('cidrMatcher: the same answers as ipaddr.js, faster for plain IPv4', () => {
  it.each([
    ['10.1.2.3', ['10.0.0.0/8'], true],
    ['11.0.0.0', ['10.0.0.0/8'], false],
    ['192.168.1.255', ['192.168.1.0/24'], true],
    ['192.168.2.0', ['192.168.1.0/24'], false],
    ['203.0.113.7', ['203.0.113.7/32'], true],
    ['203.0.113.8', ['203.0.113.7/32'], false],
    ['255.255.255.255', ['0.0.0.0/0'], true],
    ['10.0.0.1', ['2001:db8::/32'], false],
    ['2001:db8:1::5', ['2001:db8::/32'], true],
    ['::ffff:10.0.0.1', ['10.0.0.0/8'], true],
    ['ecs.amazonaws.com', ['0.0.0.0/0'], false],
    ['AWS Internal', ['10.0.0.0/8'], false],
    ['010.0.0.1', ['10.0.0.0/8'], reference(['10.0.0.0/8'])('010.0.0.1')],
  ])('%s in %j → %s', (ip, cidrs, expected) => {
    expect(cidrMatcher(cidrs.map((c) => ipaddr.parseCIDR(c)))(ip)).toBe(expected)
  })

  it('agrees with ipaddr.js on random addresses and blocks', () => {
    const octet = fc.integer({ min: 0, max: 255 })
    const ip = fc.oneof(fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')), fc.string({ maxLength: 16 }), fc.ipV6())
    const block = fc.oneof(fc.tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 32 })).map(([a, b, c, d, bits]) => `${a}.${b}.${c}.${d}/${bits}`), fc.constantFrom(...blocks))
    fc.assert(fc.property(ip, fc.array(block, { minLength: 1, maxLength: 3 }), (value, cidrs) => {
      expect(cidrMatcher(cidrs.map((c) => ipaddr.parseCIDR(c)))(value)).toBe(reference(cidrs)(value))
    }), { numRuns: 2000, seed: 7 })
  })
})
