import { asText } from './asText.js'
import { onlyElement } from '../json.js'

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * A rule's match pattern as short lines a reader can check against the event ("env = prod"). Total: whatever the
 * pattern holds (it is validated when the rule loads, but a library caller may pass anything), it gives lines.
 */
export function describeConditions(pattern: unknown, prefix = ''): string[] {
  if (!isObject(pattern)) return []
  const out: string[] = []
  for (const [key, value] of Object.entries(pattern)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (key === '$or' && Array.isArray(value)) {
      out.push(`any of: ${value.map((alt) => describeConditions(alt, prefix).join(' and ')).join(' | ')}`)
    } else if (Array.isArray(value)) {
      const shown = value.map((v) => (v === null ? 'null' : asText(v)))
      const one = onlyElement(shown)
      out.push(one !== undefined ? `${path} = ${one}` : `${path} ∈ ${shown.join(', ')}`)
    } else if (isObject(value)) {
      out.push(...describeConditions(value, path))
    }
  }
  return out
}
