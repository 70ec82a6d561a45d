import { type CompiledRule, compileRule } from './compileRule.js'
import type { Lists } from '../pattern/operators.js'
import { isListsFile, type ListOverrides, listsFileSchema, mergeLists } from './listsFile.js'
import { schemaKeysAt } from '../language/schemaKeys.js'
import { schemaProblems } from '../language/schemaProblems.js'
import { sha256Hex } from '../../digest.js'
import { createRuleSet, type RuleSet } from './ruleSet.js'
import { type LocatedProblem, parseYamlSource } from '../language/yamlSource.js'

export interface RuleSource {
  /** The path shown in messages, e.g. rules/ecs/ecs-exec-session.yaml. */
  file: string
  text: string
}

/** Exceptions this close to expiry get a warning from validate. */
export const EXPIRY_WARNING_DAYS = 14

export interface CompileResult {
  /** Present when there are no errors (warnings allowed). */
  ruleSet?: RuleSet
  problems: LocatedProblem[]
}

const idFromFile = (file: string) => (file.split('/').pop() ?? file).replace(/\.ya?ml$/, '')

/**
 * Rule files → a rule set, or every problem of every file (never only the first). Pure: the caller reads
 * the files; `now` (ms) is only for expiry warnings.
 */
export interface CompileOptions {
  /** The config's lists: each replaces the pack's list of that name, or appends to it (`{ append: [...] }`). */
  lists?: ListOverrides
  /** For expiry warnings only. */
  now?: number
  /** Whether a test's event file exists, relative to the rule file; when given, missing ones are errors. */
  testFileExists?: (ruleFile: string, relative: string) => boolean
}

export function compileRuleSet(sources: readonly RuleSource[], { lists: configLists = {}, now, testFileExists }: CompileOptions = {}): CompileResult {
  const problems: LocatedProblem[] = []
  const rules: CompiledRule[] = []
  const seen = new Map<string, string>()
  const sorted = [...sources].sort((a, b) => a.file.localeCompare(b.file))
  const parsed = sorted.map((source) => ({ source, yaml: parseYamlSource(source.file, source.text) }))
  // Lists files first: a rule may reference a list declared in any of the pack's lists files.
  const pack: Record<string, ReadonlyArray<string | number>> = Object.create(null) as Record<string, ReadonlyArray<string | number>>
  const declaredIn = new Map<string, string>()
  for (const { source, yaml } of parsed) {
    if (yaml.problems.length > 0 || !isListsFile(yaml.value)) continue
    const file = listsFileSchema.safeParse(yaml.value)
    if (!file.success) {
      problems.push(...schemaProblems(file.error, yaml.value, (p) => schemaKeysAt(listsFileSchema, p)).map((p) => yaml.locate(p)))
      continue
    }
    for (const [name, values] of Object.entries(file.data.lists)) {
      const first = declaredIn.get(name)
      if (first !== undefined) {
        problems.push(yaml.locate({ path: ['lists', name], atKey: true, message: `list '${name}' is already declared in ${first}`, fix: 'declare each list once per rule set; trailwarden.yaml overrides it' }))
        continue
      }
      declaredIn.set(name, source.file)
      pack[name] = values
    }
  }
  const lists: Lists = mergeLists(pack, configLists)
  for (const { source, yaml } of parsed) {
    const expectedId = idFromFile(source.file)
    problems.push(...yaml.problems.map((p) => ({ ...p, ruleId: expectedId })))
    if (yaml.problems.length > 0 || isListsFile(yaml.value)) continue
    const rawId = (yaml.value as { id?: unknown } | null)?.id
    // A malformed id (empty, spaces) would make the message unreadable: the file name stands in for it.
    const ruleId = typeof rawId === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(rawId) ? rawId : expectedId
    const { rule, problems: found } = compileRule(yaml.value, { file: source.file, expectedId, lists })
    problems.push(...found.map((p) => yaml.locate(p, ruleId)))
    if (!rule) continue
    const first = seen.get(rule.id)
    if (first !== undefined) {
      problems.push(yaml.locate({ path: ['id'], message: `duplicate id '${rule.id}' (also in ${first})`, fix: 'ids must be unique: rename one rule and its file' }, rule.id))
      continue
    }
    seen.set(rule.id, source.file)
    for (const e of rule.exceptions) e.line = yaml.locate({ path: ['unless', e.index], message: '' }).line
    rules.push(rule)
    // A case with its own lists sees the rule compiled with them (a list is compiled into the rule's matchers).
    const variants = new Map<number, CompiledRule>()
    rule.tests.forEach((t, i) => {
      if (!t.lists) return
      const variant = compileRule(yaml.value, { file: source.file, expectedId, lists: mergeLists(lists, t.lists) })
      if (variant.rule) variants.set(i, variant.rule)
      else for (const p of variant.problems) problems.push(yaml.locate({ ...p, path: ['tests', i, 'lists'], message: `with this case's lists: ${p.message}` }, rule.id))
    })
    if (variants.size > 0) rule.testRules = variants
    if (testFileExists) {
      rule.tests.forEach((t, i) => {
        // The case's event, then its earlier events (previous: […], the change fields' "before").
        const specs = [{ event: t.event, at: ['tests', i, 'event'] }, ...(t.previous ?? []).map((event, j) => ({ event, at: ['tests', i, 'previous', j] }))]
        for (const { event, at } of specs) {
          const file = typeof event === 'string' ? event : typeof event.base === 'string' ? event.base : undefined
          if (file !== undefined && !testFileExists(source.file, file)) {
            const path = typeof event === 'string' ? at : [...at, 'base']
            problems.push(yaml.locate({ path, message: `test event file '${file}' does not exist`, fix: 'paths are relative to the rule file' }, rule.id))
          }
        }
      })
    }
    if (now !== undefined) {
      for (const e of rule.exceptions) {
        if (e.expiry === undefined) continue
        const daysLeft = (e.expiry.endsAt - now) / 86_400_000
        if (daysLeft <= 0 || daysLeft <= EXPIRY_WARNING_DAYS) {
          problems.push({
            ...yaml.locate({ path: ['unless', e.index, 'expires'], message: '' }, rule.id),
            severity: 'warning',
            message: daysLeft <= 0
              ? `exception "${e.reason}" expired on ${e.expiry.date}: the events it suppressed alert again, and its suppressed tests are reported lapsed`
              : `exception "${e.reason}" expires on ${e.expiry.date} (in ${Math.ceil(daysLeft)} days): from the next day the events it suppresses alert`,
            fix: daysLeft <= 0
              ? 'extend expires if it is still needed; otherwise remove it with the tests that expect it to suppress'
              : 'extend expires if it is still needed; otherwise remove it with the tests that expect it to suppress, before it expires',
          })
        }
      }
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { problems }
  const hashed = [...sources].sort((a, b) => a.file.localeCompare(b.file)).map((s) => `${s.file}\0${s.text}\0`).join('')
  return { ruleSet: createRuleSet(rules, sha256Hex(hashed, 16)), problems }
}
