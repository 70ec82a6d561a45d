import type { LeafNode, ObjectNode, PatternNode } from '../rules/pattern/compilePattern.js'
import type { Lists } from '../rules/pattern/operators.js'
import { parseWildcard } from '../rules/pattern/wildcardMatch.js'
import { isPlainObject, onlyEntry } from '../json.js'
import type { SqlDialect } from './sqlDialect.js'
import { refuse } from './sqlRefusal.js'
import { and, bool, cases, definite, like, likeEscape, not, num, or, quote } from './sqlText.js'
import { ABSENT, type SqlElement, type SqlValue } from './sqlValue.js'
import { ipv4CidrSql } from './cidrSql.js'

/**
 * How deep arrays nested directly in arrays are searched (`[[…]]`). The engine flattens any depth; CloudTrail records
 * nest objects in arrays, not arrays in arrays, so three levels cover every record seen. Documented in the README.
 */
export const ARRAY_DEPTH = 3

export interface PatternContext {
  dialect: SqlDialect
  lists: Lists
  /** A fresh lambda variable name each time (nested lambdas must not shadow). */
  fresh(): string
  /**
   * A column computed once a row: a JSON path of the record (stage 0), or something read from those (stage 1). Its
   * name; the same expression gets the same column.
   */
  column(expression: string, stage?: 0 | 1): string
}

/** A record-rooted JSON value read once a row, into a column. */
export function materialise(value: SqlValue, ctx: PatternContext): SqlValue {
  if (value.kind !== 'json' || !value.root) return value
  return { kind: 'json', sql: ctx.column(ctx.dialect.path(value.root.sql, value.root.keys)), root: value.root }
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)

/** The member `key` of a value. */
export function fieldOf(value: SqlValue, key: string, path: string, ctx: PatternContext): SqlValue {
  if (/["\\\u0000-\u001f]/.test(key)) refuse(path, `the field name ${JSON.stringify(key)} holds a quote, backslash or control character, which a JSON path in SQL cannot name`)
  switch (value.kind) {
    case 'object': return value.field(key, path)
    case 'json':
      return value.root
        ? materialise({ kind: 'json', sql: '', root: { sql: value.root.sql, keys: [...value.root.keys, key] } }, ctx)
        : { kind: 'json', sql: ctx.dialect.child(value.sql, key) }
    default: return ABSENT
  }
}

/** What matchFields(node, undefined) answers: known when the SQL is written. */
export function matchesAbsent(node: PatternNode): boolean {
  if (node.kind === 'leaf') return node.absentOk
  return node.fields.every((f) => matchesAbsent(f.node)) && node.ors.every((alts) => alts.some(matchesAbsent))
}

/** An object pattern against a value: EventBridge's rules (an array: some object element matches; see evaluatePattern.ts). */
export function objectSql(node: ObjectNode, value: SqlValue, path: string, ctx: PatternContext): string {
  if (value.kind === 'object') return fieldsSql(node, value, path, ctx)
  if (value.kind !== 'json') return bool(matchesAbsent(node))
  // One form for an object and an array of them (the object alone is a list of one), so the fields are written once.
  const x = value.sql
  const absent = bool(matchesAbsent(node))
  const els = candidates(x, ctx)
  const v = ctx.fresh()
  const t = ctx.dialect.element(v, true)
  const some = ctx.dialect.some(els, v, and(t.isObject, definite(fieldsSql(node, { kind: 'json', sql: v }, path, ctx))))
  const noObject = absent === 'FALSE' ? 'FALSE' : not(ctx.dialect.some(els, v, t.isObject))
  return definite(cases([[`${x} IS NULL`, absent]], or(some, and(absent, noObject))))
}

/**
 * The flattened elements of x. Its lambdas take fixed names (each body reads only its own), so the same x gives the same
 * text, and a record path's list is one column.
 */
function flatOf(x: string, ctx: PatternContext): string {
  let i = 0
  return ctx.dialect.flatElements(x, ARRAY_DEPTH, () => `tw_f${++i}`)
}

/** The elements of x to try: x's (flattened) elements when it is an array, else x alone. */
function candidates(x: string, ctx: PatternContext): string {
  const e = ctx.dialect.element(x, false)
  const flat = flatOf(x, ctx)
  const expression = `CASE WHEN ${e.isArray} THEN ${flat} ELSE ${ctx.dialect.single(x)} END`
  return /^tw_j\d+$/.test(x) ? ctx.column(expression, 1) : expression
}

function fieldsSql(node: ObjectNode, value: SqlValue, path: string, ctx: PatternContext): string {
  const parts: string[] = []
  for (const f of node.fields) {
    const at = join(path, f.key)
    parts.push(nodeSql(f.node, fieldOf(value, f.key, at, ctx), at, ctx))
  }
  for (const alts of node.ors) parts.push(or(...alts.map((alt) => fieldsSql(alt, value, path, ctx))))
  return and(...parts)
}

export function nodeSql(node: PatternNode, value: SqlValue, path: string, ctx: PatternContext): string {
  return node.kind === 'leaf' ? leafSql(node, value, path, ctx) : objectSql(node, value, path, ctx)
}

/**
 * Some element (arrays in arrays flattened, ARRAY_DEPTH deep) of JSON array x satisfies test, which receives each
 * non-array element and its type tests.
 */
function someNested(x: string, ctx: PatternContext, test: (el: string, t: ReturnType<SqlDialect['element']>) => string): string {
  const v = ctx.fresh()
  const t = ctx.dialect.element(v, true)
  const flat = flatOf(x, ctx)
  return ctx.dialect.some(/^tw_j\d+$/.test(x) ? ctx.column(flat, 1) : flat, v, and(not(t.isArray), definite(test(v, t))))
}

const TEXT_ELEMENT = (sql: string): SqlElement => ({ isString: 'TRUE', text: sql, isNumber: 'FALSE', number: 'NULL', isBool: 'FALSE', boolean: 'NULL', isNull: 'FALSE' })
const BOOL_ELEMENT = (sql: string): SqlElement => ({ isString: 'FALSE', text: 'NULL', isNumber: 'FALSE', number: 'NULL', isBool: 'TRUE', boolean: sql, isNull: 'FALSE' })

/** A leaf list against a value: matchLeaf in evaluatePattern.ts, clause by clause. */
export function leafSql(leaf: LeafNode, value: SqlValue, path: string, ctx: PatternContext): string {
  const absent = bool(leaf.absentOk)
  const test = (el: SqlElement) => elementSql(leaf, el, path, ctx)
  switch (value.kind) {
    case 'absent':
    case 'object':
      // An object has no primitive values: only `exists: false` matches it, as when the field is absent.
      return absent
    case 'text': return definite(cases([[`${value.sql} IS NULL`, absent]], test(TEXT_ELEMENT(value.sql))))
    case 'bool': return definite(cases([[`${value.sql} IS NULL`, absent]], test(BOOL_ELEMENT(value.sql))))
    case 'texts': {
      const v = ctx.fresh()
      const some = ctx.dialect.some(value.sql, v, definite(test(TEXT_ELEMENT(v))))
      return definite(cases([[`${value.sql} IS NULL`, absent], [`${ctx.dialect.length(value.sql)} = 0`, absent]], some))
    }
    case 'json': {
      const x = value.sql
      const t = ctx.dialect.element(x, false)
      const scalar = (el: string, tt: ReturnType<SqlDialect['element']>) => and(not(tt.isObject), test(tt))
      const someValue = someNested(x, ctx, scalar)
      const anyPrimitive = leaf.absentOk ? someNested(x, ctx, (_el, tt) => not(tt.isObject)) : 'FALSE'
      return definite(cases([
        [`${x} IS NULL`, absent],
        [t.isArray, or(someValue, and(absent, not(anyPrimitive)))],
        [t.isObject, absent],
      ], test(t)))
    }
  }
}

/** One primitive against the leaf's tests: literals, then each operator (operators.ts); string tests share one type test. */
function elementSql(leaf: LeafNode, el: SqlElement, path: string, ctx: PatternContext): string {
  const literals: unknown[] = []
  const onString: string[] = []
  const other: string[] = []
  for (const element of leaf.source as unknown[]) {
    if (element === null || typeof element !== 'object') {
      literals.push(element)
      continue
    }
    const listed = listValues(element, ctx)
    if (listed) {
      literals.push(...listed)
      continue
    }
    const [name, operand] = onlyEntry(element) ?? ['', undefined]
    const test = operatorSql(name, operand, el, join(path, name), ctx)
    if ('onString' in test) onString.push(test.onString)
    else other.push(test.any)
  }
  const strings = [...new Set(literals.filter((v) => typeof v === 'string'))]
  if (strings.length > 0) onString.unshift(`${el.text} IN (${strings.map(quote).join(', ')})`)
  return or(and(el.isString, or(...onString)), literalSql(literals.filter((v) => typeof v !== 'string'), el), ...other)
}

function listValues(operand: unknown, ctx: PatternContext): ReadonlyArray<string | number> | undefined {
  if (!isPlainObject(operand)) return undefined
  const keys = Object.keys(operand)
  if (keys.length !== 1 || keys[0] !== 'list' || typeof operand.list !== 'string') return undefined
  return Object.hasOwn(ctx.lists, operand.list) ? ctx.lists[operand.list] : []
}

/** Exact, type-sensitive equality with any of the values (literalTest in operators.ts). */
function literalSql(values: readonly unknown[], el: SqlElement): string {
  const strings = [...new Set(values.filter((v) => typeof v === 'string'))]
  const numbers = [...new Set(values.filter((v) => typeof v === 'number'))]
  const bools = [...new Set(values.filter((v) => typeof v === 'boolean'))]
  return or(
    strings.length === 0 ? 'FALSE' : and(el.isString, `${el.text} IN (${strings.map(quote).join(', ')})`),
    numbers.length === 0 ? 'FALSE' : and(el.isNumber, `${el.number} IN (${numbers.map(num).join(', ')})`),
    bools.length === 0 ? 'FALSE' : and(el.isBool, bools.length === 2 ? 'TRUE' : bools[0] === true ? el.boolean : not(el.boolean)),
    values.includes(null) ? el.isNull : 'FALSE',
  )
}

/** A string operand, a list of them, or `{ list: NAME }` (as `strings` in operators.ts reads it). */
function stringsOf(operand: unknown, ctx: PatternContext): string[] {
  if (typeof operand === 'string') return [operand]
  const listed = listValues(operand, ctx)
  if (listed) return listed.map(String)
  return Array.isArray(operand) ? operand.map(String) : []
}

function caseForm(operand: unknown): { ignoreCase: boolean, value: unknown } {
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) return { ignoreCase: true, value: operand['equals-ignore-case'] }
  return { ignoreCase: false, value: operand }
}

function prefixSuffixSql(kind: 'prefix' | 'suffix', operand: unknown, text: string, ctx: PatternContext): string {
  const { ignoreCase, value } = caseForm(operand)
  const subject = ignoreCase ? `lower(${text})` : text
  // LIKE, escaped, in both dialects (Trino has no ends_with); lower() on both sides for the case-insensitive form.
  return or(...stringsOf(value, ctx).map((w) => {
    const wanted = likeEscape(ignoreCase ? w.toLowerCase() : w)
    return like(subject, kind === 'prefix' ? `${wanted}%` : `%${wanted}`)
  }))
}

function wildcardSql(operand: unknown, text: string, path: string, ctx: PatternContext): string {
  return or(...stringsOf(operand, ctx).map((w) => {
    const p = parseWildcard(w)
    if ('error' in p) return refuse(path, p.error)
    if ('exact' in p) return `${text} = ${quote(p.exact)}`
    // first*middle…*last is exactly LIKE 'first%middle…%last' (see wildcardMatch.ts: earliest placement never loses).
    return like(text, [p.first, ...p.middle, p.last].map(likeEscape).join('%'))
  }))
}

function ignoreCaseSql(operand: unknown, text: string, ctx: PatternContext): string {
  const wanted = [...new Set(stringsOf(operand, ctx).map((s) => s.toLowerCase()))]
  return `lower(${text}) IN (${wanted.map(quote).join(', ')})`
}

const NUMERIC_SQL: Record<string, string> = { '=': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' }

type OperatorSql = { onString: string } | { any: string }

function operatorSql(name: string, operand: unknown, el: SqlElement, path: string, ctx: PatternContext): OperatorSql {
  const text = el.text
  switch (name) {
    case 'prefix':
    case 'suffix':
      return { onString: prefixSuffixSql(name, operand, text, ctx) }
    case 'equals-ignore-case':
      return { onString: ignoreCaseSql(operand, text, ctx) }
    case 'wildcard':
      return { onString: wildcardSql(operand, text, path, ctx) }
    case 'exists':
      return { any: bool(operand === true) }
    case 'numeric': {
      const pairs = operand as unknown[]
      const checks: string[] = []
      for (let i = 0; i < pairs.length; i += 2) checks.push(`${el.number} ${NUMERIC_SQL[String(pairs[i])] ?? '='} ${num(pairs[i + 1] as number)}`)
      return { any: and(el.isNumber, ...checks) }
    }
    case 'cidr':
      return { onString: or(...stringsOf(operand, ctx).map((c) => ipv4CidrSql(text, c, path, ctx.dialect))) }
    case 'regex':
      return { onString: or(...stringsOf(operand, ctx).map((re) => ctx.dialect.regexMatch(text, re, path))) }
    case 'anything-but':
      return { any: anythingButSql(operand, el, path, ctx) }
    default:
      return refuse(path, `the operator '${name}' has no SQL form`)
  }
}

/** anything-but: a JSON null or any other type counts as "not one of these" (literalTest negated), absent never matches. */
function anythingButSql(operand: unknown, el: SqlElement, path: string, ctx: PatternContext): string {
  if (isPlainObject(operand)) {
    const listed = listValues(operand, ctx)
    if (listed) return not(definite(literalSql(listed, el)))
    const [key, inner] = onlyEntry(operand) ?? ['', undefined]
    const text = el.text
    const t = key === 'prefix' || key === 'suffix'
      ? prefixSuffixSql(key, inner, text, ctx)
      : key === 'wildcard' ? wildcardSql(inner, text, join(path, key), ctx) : ignoreCaseSql(inner, text, ctx)
    return and(el.isString, not(definite(t)))
  }
  // Definite: an array's JSON null element is SQL NULL in DuckDB, and NOT (NULL) would not match it.
  return not(definite(literalSql(Array.isArray(operand) ? operand : [operand], el)))
}
