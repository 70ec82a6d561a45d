import { type LeafTest, literal, type OperatorContext, OPERATORS, type Primitive, resolveList } from './operators.js'
import { didYouMean, type Path, problem } from '../language/problem.js'
import { isPlainObject, lookup, onlyEntry } from '../../json.js'
import { splitLast } from '../../split.js'

export interface LeafNode {
  kind: 'leaf'
  tests: LeafTest[]
  /** Matches when the field is absent (an `exists: false` element). */
  absentOk: boolean
  /** The list as written, for explanations. */
  source: unknown
}

export interface ObjectNode {
  kind: 'object'
  fields: Array<{ key: string, node: PatternNode }>
  /** Each `$or` is a list of alternatives; one of them must match. */
  ors: ObjectNode[][]
}

export type PatternNode = LeafNode | ObjectNode

export interface CompileOptions {
  /** Check field names against the rule language's (rules only; plain EventBridge patterns are open). */
  fields?: FieldSchema
  /**
   * Read `actor.console` as `actor: { console }`. On in rule files; off for plain EventBridge patterns,
   * where a field name may itself contain dots (`"c.count"` in aws/event-ruler's README examples).
   */
  dottedKeys?: boolean
}

/** Which field names a rule may use: known top-level names, and closed sets below some of them. */
export interface FieldSchema {
  topLevel: ReadonlySet<string>
  closed: Readonly<Record<string, ReadonlySet<string>>>
}

/**
 * `__proto__` cannot be a field name: assigning it to an object sets the object's prototype, so a copy of the
 * pattern loses it (issue 16: an exception suppressed more than it said). Refused as a key and as a dotted part.
 */
const PROTO = '__proto__'
const PROTO_MESSAGE = `a field named ${PROTO} cannot be matched: JavaScript objects drop it`
const PROTO_FIX = 'remove it (no CloudTrail record has such a field)'

/**
 * `actor.console: [true]` is shorthand for `actor: { console: [true] }` (a trailwarden convenience;
 * EventBridge field names never contain dots in the records trailwarden reads).
 */
function expandDotted(pattern: Record<string, unknown>, path: Path, ctx: OperatorContext): Record<string, unknown> {
  if (!Object.keys(pattern).some((k) => k.includes('.'))) return pattern
  // Own entries only: `constructor.x` must not find Object, nor `__proto__.x` Object.prototype (refused below anyway).
  const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined)
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(pattern)) {
    const { init, last } = splitLast(key, '.')
    const parts = [...init, last]
    if (parts.some((p) => p === '')) {
      ctx.problems.push(problem([...path, key], `field name '${key}' has an empty part`, 'write names like actor.console', true))
      continue
    }
    if (parts.includes(PROTO)) continue // compileObject reports it against the key as written
    let target = out
    for (const part of init) {
      const existing = own(target, part)
      if (existing === undefined) target = target[part] = {}
      else if (isPlainObject(existing)) target = existing
      else {
        ctx.problems.push(problem([...path, key], `'${key}' conflicts with a list already given for '${part}'`, undefined, true))
        target = {}
      }
    }
    const existing = own(target, last)
    if (existing !== undefined) {
      if (isPlainObject(existing) && isPlainObject(value)) {
        // Not Object.assign: it would set the merged object's prototype from an own `__proto__` key.
        for (const [k, v] of Object.entries(value)) {
          if (k === PROTO) ctx.problems.push(problem([...path, key, k], PROTO_MESSAGE, PROTO_FIX, true))
          else existing[k] = v
        }
      } else ctx.problems.push(problem([...path, key], `'${key}' is given twice (once dotted, once nested)`, 'keep one of them', true))
    } else target[last] = value
  }
  return out
}

/**
 * Compile an EventBridge event pattern into a tree of predicates. Problems (with paths into the pattern
 * as written) go to ctx.problems; the result is undefined when there were any.
 */
export function compilePattern(pattern: unknown, path: Path, ctx: OperatorContext, options: CompileOptions = {}): ObjectNode | undefined {
  const before = ctx.problems.length
  if (!isPlainObject(pattern)) {
    ctx.problems.push(problem(path, 'a pattern must be a mapping of field names to lists of values', 'write e.g. { eventName: [RunTask] }'))
    return undefined
  }
  const node = compileObject(pattern, path, ctx, options, 0, undefined)
  return ctx.problems.length === before ? node : undefined
}

function compileObject(
  raw: Record<string, unknown>,
  path: Path,
  ctx: OperatorContext,
  options: CompileOptions,
  depth: number,
  parentKey: string | undefined,
): ObjectNode {
  const { fields } = options
  const pattern = options.dottedKeys === true ? expandDotted(raw, path, ctx) : raw
  const node: ObjectNode = { kind: 'object', fields: [], ors: [] }
  if (Object.keys(pattern).length === 0) ctx.problems.push(problem(path, 'an empty mapping matches nothing useful', 'name at least one field'))
  for (const key of Object.keys(raw)) {
    if (key === PROTO || (options.dottedKeys === true && key.split('.').includes(PROTO)))
      ctx.problems.push(problem([...path, key], PROTO_MESSAGE, PROTO_FIX, true))
  }
  for (const [key, value] of Object.entries(pattern)) {
    if (key === PROTO) continue
    // Report against the key as written (dotted keys keep their own path).
    const at = Object.hasOwn(raw, key) ? [...path, key] : [...path, Object.keys(raw).find((k) => k.startsWith(`${key}.`)) ?? key]
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject)) {
        ctx.problems.push(problem(at, '$or needs a list of at least two patterns', 'write $or: [{ a: [1] }, { b: [2] }]'))
        continue
      }
      node.ors.push(value.map((alt, i) => compileObject(alt, [...at, i], ctx, options, depth, parentKey)))
      continue
    }
    if (fields) checkField(key, at, ctx, fields, depth, parentKey)
    if (isPlainObject(value)) {
      node.fields.push({ key, node: compileObject(value, at, ctx, options, depth + 1, depth === 0 ? key : undefined) })
    } else if (Array.isArray(value)) {
      const leaf = compileLeaf(value, at, ctx)
      if (leaf) node.fields.push({ key, node: leaf })
    } else {
      ctx.problems.push(
        problem(at, `the value of '${key}' must be a list (EventBridge patterns put values in arrays)`, `write ${key}: [${JSON.stringify(value)}]`),
      )
    }
  }
  return node
}

function checkField(key: string, at: Path, ctx: OperatorContext, fields: FieldSchema, depth: number, parentKey: string | undefined): void {
  if (depth === 0 && !fields.topLevel.has(key)) {
    ctx.problems.push(
      problem(
        at,
        `unknown field '${key}'${didYouMean(key, fields.topLevel)}`,
        'use a CloudTrail record field, an envelope field, or a context field listed in rules/README.md',
        true,
      ),
    )
  }
  if (depth !== 1 || parentKey === undefined) return
  const closed = lookup(fields.closed, parentKey)
  if (closed && !closed.has(key)) {
    const suggestion = didYouMean(key, closed).replace(/'(\w+)'\?$/, `'${parentKey}.$1'?`)
    ctx.problems.push(problem(at, `unknown field '${parentKey}.${key}'${suggestion}`, `${parentKey} has: ${[...closed].join(', ')}`, true))
  }
}

function compileLeaf(list: unknown[], path: Path, ctx: OperatorContext): LeafNode | undefined {
  if (list.length === 0) {
    ctx.problems.push(problem(path, 'an empty list matches nothing', 'list at least one value, or remove the field'))
    return undefined
  }
  const literals: Primitive[] = []
  const tests: LeafTest[] = []
  let ok = true
  for (const [i, element] of list.entries()) {
    const at = [...path, i]
    if (element === null || typeof element !== 'object') {
      literals.push(element as Primitive)
      continue
    }
    if (Array.isArray(element)) {
      ctx.problems.push(problem(at, 'a list inside a value list is not allowed', 'flatten it into one list'))
      ok = false
      continue
    }
    const listed = resolveList(element, at, ctx)
    if (listed) {
      literals.push(...listed)
      continue
    }
    const only = onlyEntry(element)
    const op = only && lookup(OPERATORS, only[0])
    if (!only || !op) {
      ctx.problems.push(
        only
          ? problem([...at, only[0]], `unknown operator '${only[0]}'${didYouMean(only[0], [...Object.keys(OPERATORS), 'list'])}`, `operators: ${Object.keys(OPERATORS).join(', ')}, list`, true)
          : problem(at, 'an operator object holds exactly one operator', 'write one { operator: value } per list element'),
      )
      ok = false
      continue
    }
    const [name, operand] = only
    if (op.extension) ctx.extensions.add(name)
    const test = op.compile(operand, [...at, name], ctx)
    if (test) tests.push(test)
    else ok = false
  }
  if (!ok) return undefined
  if (literals.length > 0) tests.unshift(literal(literals))
  return { kind: 'leaf', tests, absentOk: tests.some((t) => t.matchesAbsent === true), source: list }
}
