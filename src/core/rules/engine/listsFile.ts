import { z } from 'zod'
import type { Lists } from '../pattern/operators.js'

/** A list name, in a rule pack's lists file and in trailwarden.yaml alike. */
export const LIST_NAME = /^[a-z][a-z0-9_]*$/
export const listName = z.string().regex(LIST_NAME, { error: 'a list name is snake_case, e.g. trusted_registries' })
/** A list's values. Empty is allowed: a list that holds nothing matches nothing. */
export const listValues = z.array(z.union([z.string(), z.number()]))

/**
 * A rule pack's lists file (e.g. rules/ecs/lists.yaml): a YAML file in the rules folder whose top level has `lists:`
 * and no `id:` (every rule has an id). It declares the pack's lists with their defaults; trailwarden.yaml overrides them.
 */
export const listsFileSchema = z
  .strictObject({ lists: z.record(listName, listValues).describe('NAME: [values] — the pack\'s default for each list its rules reference.') })
  .describe('A rule pack\'s lists and their defaults')

/** Whether a parsed YAML document is a lists file rather than a rule. */
export const isListsFile = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, 'lists') && !Object.hasOwn(value, 'id')

/** A list override, in trailwarden.yaml and in a rule test case: [values] replaces, { append: [values] } adds. */
export const listOverride = z.union([listValues, z.strictObject({ append: listValues.describe('Values added to the list of this name.') })])

/** A config list: a plain array replaces the pack's list; `{ append: [...] }` adds to it. */
export type ListOverride = ReadonlyArray<string | number> | { readonly append: ReadonlyArray<string | number> }
export type ListOverrides = Readonly<Record<string, ListOverride>>

/**
 * The lists rules see: the pack's defaults, each replaced by the config's list of the same name, or extended by
 * the config's `append:` — the semantics of Falco's `override: { items: replace | append }` for `list:` items
 * (https://falco.org/docs/rules/overriding/; without an override a redefined list replaces the old one, which can empty it: https://v0-35.falco.org/docs/rules/appending). A config list the pack does not declare is used as it is.
 */
export function mergeLists(pack: Lists, config: ListOverrides): Lists {
  const merged: Record<string, ReadonlyArray<string | number>> = Object.create(null) as Record<string, ReadonlyArray<string | number>>
  for (const [name, values] of Object.entries(pack)) merged[name] = values
  for (const [name, override] of Object.entries(config)) {
    if (Array.isArray(override)) merged[name] = override
    else {
      // `merged` has no prototype: a name it does not hold finds nothing, not Object.prototype's members.
      const base = merged[name] ?? []
      merged[name] = [...base, ...(override as { append: ReadonlyArray<string | number> }).append.filter((v) => !base.includes(v))]
    }
  }
  return merged
}
