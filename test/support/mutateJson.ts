/** Replace one value deep in a JSON tree (the path's numbers pick children modulo their count): for fuzzing. */
export function mutateJson(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (value === null || typeof value !== 'object' || path.length === 0) return replacement
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v: unknown, i) => [i, v]) : Object.entries(value)
  if (entries.length === 0) return replacement
  const [key, child] = entries[path[0]! % entries.length]!
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>
  copy[key] = mutateJson(child, path.slice(1), replacement)
  return copy
}
