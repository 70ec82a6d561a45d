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

/** Replace (or add) the value at a path of keys; a copy, the original untouched: for mutating real records by name. */
export function setAt(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const [key, ...rest] = path
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : value !== null && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {}) as Record<string | number, unknown>
  copy[key!] = setAt(copy[key!], rest, replacement)
  return copy
}

/**
 * JSON values of the wrong kind for a field that should hold a string, as a hostile or broken producer writes them:
 * objects whose toString/valueOf are not functions (String() of them throws), containers, other primitives, lone
 * UTF-16 surrogates (legal in JSON as \ud800) and a 100 KB string.
 */
export const WRONG_TYPED: ReadonlyArray<[string, unknown]> = [
  ['an object with a toString key', { toString: 1 }],
  ['an object with toString and valueOf keys', { toString: 'x', valueOf: {} }],
  ['an object with constructor and __proto__ keys', JSON.parse('{"constructor":"x","__proto__":{"toString":1}}')],
  ['an array', [1, 'a', { toString: 1 }]],
  ['an empty object', {}],
  ['a number', 7],
  ['null', null],
  ['true', true],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate inside text', 'arn:aws:iam::111122223333:user/\udc00x'],
  ['a 100 KB string', 'x'.repeat(100_000)],
]
