import ipaddr from 'ipaddr.js'
import type { SqlDialect } from './sqlDialect.js'
import { refuse } from './sqlRefusal.js'
import { and } from './sqlText.js'

/** The engine's DOTTED_QUAD (cidrMatcher.ts) with \z for $ (Java's $ also matches before a final line break). */
const DOTTED_QUAD = '^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\\z'

/**
 * `text` lies in the IPv4 block `cidr`: a dotted quad compared as a 32-bit number, as the engine's fast path does.
 * IPv6 blocks are refused. Known difference (README, "Audit at scale"): values in the other forms ipaddr.js accepts
 * (IPv4-mapped IPv6, hex or octal parts) are not matched by the SQL; CloudTrail writes sourceIPAddress as a plain
 * dotted quad.
 */
export function ipv4CidrSql(text: string, cidr: string, path: string, dialect: SqlDialect): string {
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number]
  try {
    range = ipaddr.parseCIDR(cidr)
  } catch {
    return refuse(path, `cidr ${JSON.stringify(cidr)} is not a CIDR block`)
  }
  const [address, bits] = range
  if (address.kind() !== 'ipv4') return refuse(path, `cidr ${JSON.stringify(cidr)}: IPv6 blocks have no SQL form here (no IP type in DuckDB without its inet extension)`)
  const octets = (address as ipaddr.IPv4).octets
  const n = ((octets[0] ?? 0) * 16777216) + ((octets[1] ?? 0) * 65536) + ((octets[2] ?? 0) * 256) + (octets[3] ?? 0)
  const size = 2 ** (32 - bits)
  const base = Math.floor(n / size) * size
  const part = (i: number) => `TRY_CAST(split_part(${text}, '.', ${i}) AS BIGINT)`
  const value = `(${part(1)} * 16777216 + ${part(2)} * 65536 + ${part(3)} * 256 + ${part(4)})`
  return and(dialect.fixedRegexMatch(text, DOTTED_QUAD), `${value} BETWEEN ${base} AND ${base + size - 1}`)
}
