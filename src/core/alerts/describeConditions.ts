/** A rule's match pattern as short lines a reader can check against the event ("env = prod"). */
export function describeConditions(pattern: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = []
  for (const [key, value] of Object.entries(pattern)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (key === '$or' && Array.isArray(value)) {
      out.push(`any of: ${value.map((alt) => describeConditions(alt as Record<string, unknown>, prefix).join(' and ')).join(' | ')}`)
    } else if (Array.isArray(value)) {
      const shown = value.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)))
      out.push(shown.length === 1 ? `${path} = ${shown[0]!}` : `${path} ∈ ${shown.join(', ')}`)
    } else if (value !== null && typeof value === 'object') {
      out.push(...describeConditions(value as Record<string, unknown>, path))
    }
  }
  return out
}
