import ipaddr from 'ipaddr.js'
import { RE2JS } from 're2js'
import { cidrMatcher } from './cidrMatcher.js'
import { didYouMean, type Path, type Problem, problem } from '../language/problem.js'
import { parseWildcard, wildcardMatch } from './wildcardMatch.js'
import { lookup, onlyElement, onlyEntry } from '../../json.js'

/** A primitive JSON value: what leaf matchers compare. */
export type Primitive = string | number | boolean | null

/** One element of a leaf's value list, compiled. */
export interface LeafTest {
  test(value: Primitive): boolean
  /** `{ exists: false }`: matches when the field is absent. */
  matchesAbsent?: boolean
  /** `{ exists: true }`: matches any present value. */
  matchesPresent?: boolean
}

export type Lists = Readonly<Record<string, ReadonlyArray<string | number>>>

export interface OperatorContext {
  lists: Lists
  /** Names of trailwarden extensions the pattern uses (not valid in an EventBridge rule). */
  extensions: Set<string>
  problems: Problem[]
}

interface Operator {
  /** Part of EventBridge's pattern language, or a trailwarden extension. */
  extension: boolean
  compile(operand: unknown, path: Path, ctx: OperatorContext): LeafTest | undefined
}

const isString = (v: Primitive): v is string => typeof v === 'string'

/**
 * A string operand, or (extension) a list of them or `{ list: NAME }` naming a config list.
 * EventBridge itself takes lists only inside anything-but.
 */
function strings(operand: unknown, path: Path, ctx: OperatorContext, op: string, listIsNative = false): string[] | undefined {
  if (typeof operand === 'string') return [operand]
  const resolved = resolveList(operand, path, ctx)
  if (resolved) {
    if (!resolved.every((v) => typeof v === 'string')) {
      ctx.problems.push(problem(path, `${op} needs strings, and list '${(operand as { list: string }).list}' holds numbers`))
      return undefined
    }
    return resolved as string[]
  }
  if (Array.isArray(operand) && operand.length > 0 && operand.every((v) => typeof v === 'string')) {
    if (!listIsNative) ctx.extensions.add('operand-list')
    return operand
  }
  ctx.problems.push(problem(path, `${op} needs a string${listIsNative ? ' or a list of strings' : ''}`, `write { ${op}: "value" }`))
  return undefined
}

/** `{ list: NAME }` → the config list's values; undefined when the operand is not a list reference. */
export function resolveList(operand: unknown, path: Path, ctx: OperatorContext): ReadonlyArray<string | number> | undefined {
  if (operand === null || typeof operand !== 'object' || Array.isArray(operand)) return undefined
  const keys = Object.keys(operand)
  if (keys.length !== 1 || keys[0] !== 'list') return undefined
  const name = (operand as { list: unknown }).list
  ctx.extensions.add('list')
  if (typeof name !== 'string') {
    ctx.problems.push(problem([...path, 'list'], 'list needs the name of a list from the config', 'write { list: trusted_registries }'))
    return []
  }
  const values = Object.hasOwn(ctx.lists, name) ? ctx.lists[name] : undefined
  if (!values) {
    ctx.problems.push(
      problem([...path, 'list'], `list '${name}' is not defined${didYouMean(name, Object.keys(ctx.lists))}`, `declare it in the rule pack's lists file (lists.yaml) or under lists: in the config (TRAILWARDEN_CONFIG), or fix the name`),
    )
    return []
  }
  return values
}

/** `{ equals-ignore-case: "x" }` inside prefix/suffix: the case-insensitive form. */
function caseForm(operand: unknown): { ignoreCase: boolean, value: unknown } {
  if (operand !== null && typeof operand === 'object' && !Array.isArray(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand)
    return { ignoreCase: true, value: (operand as Record<string, unknown>)['equals-ignore-case'] }
  return { ignoreCase: false, value: operand }
}

const anyOf = (tests: Array<(v: string) => boolean>): ((v: string) => boolean) =>
  onlyElement(tests) ?? ((v) => tests.some((t) => t(v)))

/** The operators anything-but may hold instead of values. */
const ANYTHING_BUT_FORMS: readonly string[] = ['prefix', 'suffix', 'wildcard', 'equals-ignore-case']

function prefixOrSuffix(kind: 'prefix' | 'suffix') {
  return (operand: unknown, path: Path, ctx: OperatorContext): ((v: string) => boolean) | undefined => {
    const { ignoreCase, value } = caseForm(operand)
    const list = strings(value, ignoreCase ? [...path, 'equals-ignore-case'] : path, ctx, kind)
    if (!list) return undefined
    const wanted = ignoreCase ? list.map((s) => s.toLowerCase()) : list
    return anyOf(
      wanted.map((w) =>
        kind === 'prefix'
          ? ignoreCase
            ? (v: string) => v.toLowerCase().startsWith(w)
            : (v: string) => v.startsWith(w)
          : ignoreCase
            ? (v: string) => v.toLowerCase().endsWith(w)
            : (v: string) => v.endsWith(w),
      ),
    )
  }
}

function wildcards(operand: unknown, path: Path, ctx: OperatorContext, listIsNative = false): ((v: string) => boolean) | undefined {
  const list = strings(operand, path, ctx, 'wildcard', listIsNative)
  if (!list) return undefined
  const tests: Array<(v: string) => boolean> = []
  for (const w of list) {
    const parsed = parseWildcard(w)
    if ('error' in parsed) ctx.problems.push(problem(path, `wildcard ${JSON.stringify(w)}: ${parsed.error}`))
    else tests.push((v) => wildcardMatch(parsed, v))
  }
  return tests.length === list.length ? anyOf(tests) : undefined
}

function ignoreCase(operand: unknown, path: Path, ctx: OperatorContext, listIsNative = false): ((v: string) => boolean) | undefined {
  const list = strings(operand, path, ctx, 'equals-ignore-case', listIsNative)
  if (!list) return undefined
  const wanted = new Set(list.map((s) => s.toLowerCase()))
  return (v) => wanted.has(v.toLowerCase())
}

const NUMERIC_OPS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
}

function literalTest(values: ReadonlyArray<Primitive>): (v: Primitive) => boolean {
  const strs = new Set(values.filter(isString))
  const others = values.filter((v) => !isString(v))
  return (v) => (isString(v) ? strs.has(v) : others.includes(v))
}

/**
 * Every operator in one table. EventBridge's are documented at
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html ;
 * the extensions are marked and documented in rules/README.md.
 */
export const OPERATORS: Record<string, Operator> = {
  'prefix': {
    extension: false,
    compile(operand, path, ctx) {
      const t = prefixOrSuffix('prefix')(operand, path, ctx)
      return t && { test: (v) => isString(v) && t(v) }
    },
  },
  'suffix': {
    extension: false,
    compile(operand, path, ctx) {
      const t = prefixOrSuffix('suffix')(operand, path, ctx)
      return t && { test: (v) => isString(v) && t(v) }
    },
  },
  'equals-ignore-case': {
    extension: false,
    compile(operand, path, ctx) {
      const t = ignoreCase(operand, path, ctx)
      return t && { test: (v) => isString(v) && t(v) }
    },
  },
  'wildcard': {
    extension: false,
    compile(operand, path, ctx) {
      const t = wildcards(operand, path, ctx)
      return t && { test: (v) => isString(v) && t(v) }
    },
  },
  'anything-but': {
    extension: false,
    compile(operand, path, ctx) {
      // A value or list of values; or one of prefix / suffix / wildcard / equals-ignore-case.
      if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
        const listed = resolveList(operand, path, ctx)
        if (listed) {
          const t = literalTest(listed)
          return { test: (v) => !t(v) }
        }
        const only = onlyEntry(operand)
        if (!only || !ANYTHING_BUT_FORMS.includes(only[0])) {
          ctx.problems.push(
            problem(path, `anything-but takes a value, a list of values, or one of prefix, suffix, wildcard, equals-ignore-case${only ? didYouMean(only[0], [...ANYTHING_BUT_FORMS, 'list']) : ''}`),
          )
          return undefined
        }
        const [key, inner] = only
        const innerPath = [...path, key]
        const t = key === 'prefix' || key === 'suffix'
          ? prefixOrSuffix(key)(inner, innerPath, ctx)
          : key === 'wildcard' ? wildcards(inner, innerPath, ctx, true) : ignoreCase(inner, innerPath, ctx, true)
        return t && { test: (v) => isString(v) && !t(v) }
      }
      const values = Array.isArray(operand) ? operand : [operand]
      if (values.length === 0 || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
        ctx.problems.push(problem(path, 'anything-but needs a string, a number, or a list of them', 'write { anything-but: [a, b] }'))
        return undefined
      }
      const t = literalTest(values)
      return { test: (v) => !t(v) }
    },
  },
  'exists': {
    extension: false,
    compile(operand, path, ctx) {
      if (typeof operand !== 'boolean') {
        ctx.problems.push(problem(path, 'exists needs true or false'))
        return undefined
      }
      return operand ? { test: () => true, matchesPresent: true } : { test: () => false, matchesAbsent: true }
    },
  },
  'numeric': {
    extension: false,
    compile(operand, path, ctx) {
      const checks: Array<(v: number) => boolean> = []
      const pairs = Array.isArray(operand) && operand.length > 0 && operand.length % 2 === 0 ? operand : []
      for (let i = 0; i < pairs.length; i += 2) {
        const op = lookup(NUMERIC_OPS, String(pairs[i]))
        const n: unknown = pairs[i + 1]
        if (op && typeof n === 'number' && Number.isFinite(n)) checks.push((v) => op(v, n))
      }
      if (checks.length === 0 || checks.length * 2 !== pairs.length) {
        ctx.problems.push(problem(path, 'numeric needs operator/number pairs', 'write { numeric: [">", 0, "<=", 5] } or { numeric: ["=", 3] }'))
        return undefined
      }
      return { test: (v) => typeof v === 'number' && checks.every((c) => c(v)) }
    },
  },
  'cidr': {
    extension: false,
    compile(operand, path, ctx) {
      const list = strings(operand, path, ctx, 'cidr')
      if (!list) return undefined
      const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = []
      for (const c of list) {
        try {
          ranges.push(ipaddr.parseCIDR(c))
        } catch {
          ctx.problems.push(problem(path, `cidr ${JSON.stringify(c)} is not an IPv4 or IPv6 CIDR block`, 'write { cidr: "10.0.0.0/8" }'))
          return undefined
        }
      }
      const inRanges = cidrMatcher(ranges)
      return { test: (v) => isString(v) && inRanges(v) }
    },
  },
  'regex': {
    // Extension: RE2 syntax through re2js — linear time, no backreferences or lookaround — so a rule
    // cannot be made to hang on an event. Unanchored: use ^ and $ to anchor.
    extension: true,
    compile(operand, path, ctx) {
      const list = strings(operand, path, ctx, 'regex')
      if (!list) return undefined
      const res: RE2JS[] = []
      for (const r of list) {
        try {
          res.push(RE2JS.compile(r))
        } catch (err) {
          ctx.problems.push(
            problem(path, `regex ${JSON.stringify(r)} is invalid: ${(err as Error).message}`, 'use RE2 syntax (no backreferences or lookaround)'),
          )
          return undefined
        }
      }
      return { test: (v) => isString(v) && res.some((re) => re.test(v)) }
    },
  },
}

/** A literal (exact, type-sensitive) element of a leaf list. */
export const literal = (values: ReadonlyArray<Primitive>): LeafTest => ({ test: literalTest(values) })
