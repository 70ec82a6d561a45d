import { createHash } from 'node:crypto'

/**
 * A fixed-size key (32 hex characters, 128 bits of SHA-256) for a tuple of strings, some of them from an event and
 * unbounded (an eventID, a dedup key built from an ARN). Every cache of the Slack sink is keyed by one, so a key costs
 * the same 32 characters whatever the event carried (#16: 100 KB fields held whole as keys grew the process to
 * 825 MiB). The parts are JSON-encoded first, so ('a|b', 'c') and ('a', 'b|c') differ.
 */
export function memoryKey(...parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}
