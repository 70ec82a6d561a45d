import type { FieldChange, SetChange } from './change.js'

/**
 * One field from → to. `known` false: the previous value is unknown, so `from` and `changed` are left out rather than
 * guessed. Values are compared as JSON (numbers, strings, booleans, sorted lists).
 */
export function fieldChange<T>(to: T | undefined, from: T | undefined, known: boolean): FieldChange<T> {
  const change: FieldChange<T> = { known }
  if (to !== undefined) change.to = to
  if (known) {
    if (from !== undefined) change.from = from
    change.changed = JSON.stringify(from) !== JSON.stringify(to)
  }
  return change
}

/** Names in `to` not in `from` (added) and the reverse (removed), each sorted. */
export function setChange(to: readonly string[], from: readonly string[]): SetChange {
  const before = new Set(from)
  const after = new Set(to)
  return { added: [...after].filter((x) => !before.has(x)).sort(), removed: [...before].filter((x) => !after.has(x)).sort() }
}

/** Environment variables by name → value digest: added, removed, and those whose value differs. */
export function envChange(to: Readonly<Record<string, string>>, from: Readonly<Record<string, string>>): SetChange {
  const change = setChange(Object.keys(to), Object.keys(from))
  change.changed = Object.keys(to).filter((k) => Object.hasOwn(from, k) && from[k] !== to[k]).sort()
  return change
}

export const isEmptySet = (s: SetChange | undefined): boolean =>
  s === undefined || (s.added.length === 0 && s.removed.length === 0 && (s.changed?.length ?? 0) === 0)
