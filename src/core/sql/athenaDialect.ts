import { CLOUDTRAIL_COLUMNS, type ColumnShape } from './cloudTrailTable.js'
import type { SqlDialect } from './sqlDialect.js'
import { refuse } from './sqlRefusal.js'
import { quote } from './sqlText.js'
import type { SqlValue } from './sqlValue.js'
import { lookup } from '../json.js'

const fmt = (x: string) => `json_format(${x})`

/** A struct column (or one of its structs) as an object; each string field a text value. */
function structValue(sql: string, shape: Record<string, ColumnShape>, at: string): SqlValue {
  return {
    kind: 'object',
    field: (key, path) => {
      const sub = lookup(shape, key)
      if (sub === undefined) return refuse(path, `${at}.${key} is not a field of the CloudTrail table's ${at} struct`)
      return columnValue(`${sql}.${key.toLowerCase()}`, sub, path)
    },
  }
}

function columnValue(sql: string, shape: ColumnShape, path: string): SqlValue {
  if (shape === 'string') return { kind: 'text', sql }
  if (shape === 'boolean') return { kind: 'json', sql: `CASE WHEN ${sql} IN ('true', 'false') THEN json_parse(${sql}) END` }
  if (shape === 'json') return { kind: 'json', sql: `json_parse(${sql})`, root: { sql: `json_parse(${sql})`, keys: [] } }
  if (shape === 'map') return refuse(path, `${path} is a map in the Athena table, which the compiler does not read`)
  if (typeof shape === 'string') return refuse(path, `${path} is ${shape.slice('unsupported: '.length)}, which the compiler does not read`)
  return structValue(sql, shape, path)
}

/**
 * Athena (engine version 3, Trino) over the standard CloudTrail table. Trino has no json_type: a JSON value's type is
 * the first character of its json_format text (https://trino.io/docs/current/functions/json.html). Lambdas and
 * filter/transform/cardinality are Trino's array functions (https://trino.io/docs/current/functions/array.html).
 */
export const athenaDialect: SqlDialect = {
  name: 'athena',
  child: (x, key) => `json_extract(${x}, ${quote(`$["${key}"]`)})`,
  element(x, inArray) {
    return {
      isString: `${fmt(x)} LIKE '"%'`,
      text: `json_extract_scalar(${x}, '$')`,
      isNumber: `regexp_like(${fmt(x)}, '^-?[0-9]')`,
      number: `TRY_CAST(${x} AS DOUBLE)`,
      isBool: `${fmt(x)} IN ('true', 'false')`,
      boolean: `(${fmt(x)} = 'true')`,
      isNull: inArray ? `(${x} IS NULL OR ${fmt(x)} = 'null')` : `${fmt(x)} = 'null'`,
      isArray: inArray ? `COALESCE(${fmt(x)} LIKE '[%', FALSE)` : `${fmt(x)} LIKE '[%'`,
      isObject: inArray ? `COALESCE(${fmt(x)} LIKE '{%', FALSE)` : `${fmt(x)} LIKE '{%'`,
    }
  },
  elements: (x) => `TRY_CAST(${x} AS ARRAY(JSON))`,
  path: (x, keys) => `json_extract(${x}, ${quote(`$${keys.map((k) => `["${k}"]`).join('')}`)})`,
  flatElements(x, depth, fresh) {
    const levels = [`TRY_CAST(${x} AS ARRAY(JSON))`]
    for (let i = 1; i < depth; i++) {
      const v = fresh()
      levels.push(`flatten(transform(${levels[i - 1] ?? ''}, ${v} -> COALESCE(TRY_CAST(${v} AS ARRAY(JSON)), CAST(ARRAY[] AS ARRAY(JSON)))))`)
    }
    return `concat(${levels.join(', ')})`
  },
  some: (array, v, predicate) => `cardinality(filter(${array}, ${v} -> ${predicate})) > 0`,
  filter: (array, v, predicate) => `filter(${array}, ${v} -> ${predicate})`,
  transform: (array, v, expression) => `transform(${array}, ${v} -> ${expression})`,
  length: (array) => `cardinality(${array})`,
  single: (x) => `ARRAY[${x}]`,
  textArray: (items) => `ARRAY[${items.join(', ')}]`,
  regexMatch: (_text, _re, field) =>
    refuse(field, 'Athena\'s regexp_like uses Java-style regular expressions (Joni), not RE2 (whose $ never matches before a final line break, among other differences): run this rule with --engine duckdb'),
  fixedRegexMatch: (text, re) => `regexp_like(${text}, ${quote(re)})`,
  recordField(key, path) {
    const shape = lookup(CLOUDTRAIL_COLUMNS, key)
    if (shape === undefined) return refuse(path, `${key} is not a column of the CloudTrail table`)
    return columnValue(key.toLowerCase(), shape, path)
  },
}
