import type { LeafNode, ObjectNode, PatternNode } from './compilePattern.js'
import type { Primitive } from './operators.js'
import { isPlainObject } from '../../json.js'

/** Own fields only: a pattern naming `constructor` must not find Object.prototype's. */
const field = (obj: Record<string, unknown> | undefined, key: string): unknown =>
  obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined

/** The primitive values at a leaf: arrays flattened; objects are not leaf values (as in EventBridge). */
function primitives(value: unknown, out: Primitive[]): Primitive[] {
  if (Array.isArray(value)) for (const v of value) primitives(v, out)
  else if (value === null || (typeof value !== 'object' && value !== undefined)) out.push(value as Primitive)
  return out
}

function matchLeaf(leaf: LeafNode, value: unknown): boolean {
  // Fast path: one primitive value, the common case.
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    for (const t of leaf.tests) if (t.matchesPresent === true || t.test(value as Primitive)) return true
    return false
  }
  const values = primitives(value, [])
  if (values.length === 0) return leaf.absentOk
  for (const t of leaf.tests) {
    if (t.matchesPresent === true) return true
    for (const v of values) if (t.test(v)) return true
  }
  return false
}

/** Objects inside an array (nested arrays flattened): each is tried whole, so sibling fields match in one element. */
function objectsIn(value: unknown[], out: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  for (const v of value) {
    if (Array.isArray(v)) objectsIn(v, out)
    else if (isPlainObject(v)) out.push(v)
  }
  return out
}

function matchFields(node: ObjectNode, obj: Record<string, unknown> | undefined): boolean {
  for (const f of node.fields) if (!matchNode(f.node, field(obj, f.key))) return false
  for (const alternatives of node.ors) if (!alternatives.some((alt) => matchFields(alt, obj))) return false
  return true
}

export function matchNode(node: PatternNode, value: unknown): boolean {
  if (node.kind === 'leaf') return matchLeaf(node, value)
  if (Array.isArray(value)) {
    const elements = objectsIn(value, [])
    if (elements.length === 0) return matchFields(node, undefined)
    return elements.some((e) => matchFields(node, e))
  }
  return matchFields(node, isPlainObject(value) ? value : undefined)
}

/** Why a pattern did not match: the first field that failed, what the rule expected, what the event had. */
export interface Mismatch {
  field: string
  expected: unknown
  actual: unknown
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)

function explainFields(node: ObjectNode, obj: Record<string, unknown> | undefined, path: string): Mismatch | undefined {
  for (const f of node.fields) {
    const m = explainNode(f.node, field(obj, f.key), join(path, f.key))
    if (m) return m
  }
  for (const alternatives of node.ors) {
    if (alternatives.some((alt) => matchFields(alt, obj))) continue
    // An `$or` always has alternatives once compiled; an empty one would explain itself as the `$or` field.
    const [alternative] = alternatives
    const first = alternative && explainFields(alternative, obj, path)
    return { field: first ? `$or → ${first.field}` : join(path, '$or'), expected: first?.expected ?? '$or', actual: first?.actual }
  }
  return undefined
}

/** Undefined when the node matches; otherwise the first mismatch. Slower than matchNode: for explain. */
export function explainNode(node: PatternNode, value: unknown, path = ''): Mismatch | undefined {
  if (matchNode(node, value)) return undefined
  if (node.kind === 'leaf') return { field: path, expected: node.source, actual: value }
  if (Array.isArray(value)) {
    const elements = objectsIn(value, [])
    if (elements.length > 0) return explainFields(node, elements[0], `${path}[0]`)
    return explainFields(node, undefined, path)
  }
  return explainFields(node, isPlainObject(value) ? value : undefined, path)
}
