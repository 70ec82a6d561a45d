import ipaddr from 'ipaddr.js'

/** A plain dotted quad without leading zeros: the form CloudTrail writes sourceIPAddress in. */
const DOTTED_QUAD = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

function ipv4Number(text: string): number {
  let n = 0
  for (const part of text.split('.')) n = n * 256 + Number(part)
  return n
}

/**
 * A test for "this address lies in one of these CIDR blocks". Plain IPv4 addresses, nearly every
 * sourceIPAddress, are compared as 32-bit numbers: ipaddr.js parses each value twice (isValid, then
 * process) at about a microsecond a time, which was a fifth of evaluation with 1,000 rules (npm run bench,
 * P1). Everything else (IPv6, IPv4-mapped IPv6, the odd forms ipaddr.js accepts) goes through ipaddr.js.
 */
export function cidrMatcher(ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>): (value: string) => boolean {
  const v4 = ranges
    .filter((r): r is [ipaddr.IPv4, number] => r[0].kind() === 'ipv4')
    .map(([range, bits]) => {
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
      return { mask, base: (ipv4Number(range.toString()) & mask) >>> 0 }
    })
  return (value) => {
    if (DOTTED_QUAD.test(value)) {
      const ip = ipv4Number(value)
      return v4.some(({ mask, base }) => ((ip & mask) >>> 0) === base)
    }
    if (!ipaddr.isValid(value)) return false
    const ip = ipaddr.process(value)
    return ranges.some(([range, bits]) => ip.kind() === range.kind() && ip.match(range, bits))
  }
}
