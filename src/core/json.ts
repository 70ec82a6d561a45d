/** Small readers for untrusted JSON, shared by the pure core. Own properties only: nothing inherited is ever read. */

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The value as an object, or undefined when it is not one. */
export const asObject = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined)

/** The value as a list, or an empty one. */
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** A non-empty string, or undefined. */
export const nonEmptyString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined)

/** The value at a dotted path (or a list of keys) through objects; undefined when any step is missing. */
export function valueAtPath(root: unknown, path: string | ReadonlyArray<string | number>): unknown {
  let v = root
  for (const key of typeof path === 'string' ? path.split('.') : path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined
    v = (v as Record<string | number, unknown>)[key]
  }
  return v
}

/** A lookup table entry by an untrusted key: own entries only, so "constructor" or "toString" find nothing. */
export const lookup = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined)

/** The one element of a list that holds exactly one; undefined otherwise. */
export const onlyElement = <T>(list: readonly T[]): T | undefined => (list.length === 1 ? list[0] : undefined)

/** The one own entry of an object that holds exactly one (an operator such as `{ prefix: "x" }`); undefined otherwise. */
export const onlyEntry = (o: object): [string, unknown] | undefined => onlyElement(Object.entries(o))
