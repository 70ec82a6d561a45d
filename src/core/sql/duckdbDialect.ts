import type { SqlDialect } from './sqlDialect.js'
import { refuse } from './sqlRefusal.js'
import { quote } from './sqlText.js'

/** A member name DuckDB's JSON path can quote: `$."name"` has no escape for `"` or `\`. */
export function plainKey(key: string, path: string): string {
  if (/["\\\u0000-\u001f]/.test(key)) refuse(path, `the field name ${JSON.stringify(key)} holds a quote, backslash or control character, which a JSON path in SQL cannot name`)
  return key
}

const jsonType = (x: string) => `json_type(${x})`

/**
 * DuckDB over the raw CloudTrail records: one JSON column, `record`, so every field keeps its JSON type and an absent
 * member (SQL NULL) differs from a JSON null (json_type 'NULL'). https://duckdb.org/docs/stable/data/json/json_functions
 */
export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  child: (x, key) => `json_extract(${x}, ${quote(`$."${key}"`)})`,
  element(x, inArray) {
    return {
      isString: `${jsonType(x)} = 'VARCHAR'`,
      text: `json_extract_string(${x}, '$')`,
      // Unsigned and huge integers are numbers too (json_type says UBIGINT for 2^63 and above).
      isNumber: `${jsonType(x)} IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE')`,
      number: `TRY_CAST(${x} AS DOUBLE)`,
      isBool: `${jsonType(x)} = 'BOOLEAN'`,
      boolean: `TRY_CAST(${x} AS BOOLEAN)`,
      // CAST(json AS JSON[]) turns a JSON null element into SQL NULL; outside an array SQL NULL means absent.
      isNull: inArray ? `(${x} IS NULL OR ${jsonType(x)} = 'NULL')` : `${jsonType(x)} = 'NULL'`,
      // An array's JSON null element is SQL NULL here: not an array, not an object (NOT NULL would be NULL).
      isArray: inArray ? `COALESCE(${jsonType(x)} = 'ARRAY', FALSE)` : `${jsonType(x)} = 'ARRAY'`,
      isObject: inArray ? `COALESCE(${jsonType(x)} = 'OBJECT', FALSE)` : `${jsonType(x)} = 'OBJECT'`,
    }
  },
  elements: (x) => `TRY_CAST(${x} AS JSON[])`,
  path: (x, keys) => `json_extract(${x}, ${quote(`$${keys.map((k) => `."${k}"`).join('')}`)})`,
  flatElements(x, depth, fresh) {
    const levels = [`TRY_CAST(${x} AS JSON[])`]
    for (let i = 1; i < depth; i++) {
      const v = fresh()
      levels.push(`flatten(list_transform(${levels[i - 1] ?? ''}, ${v} -> COALESCE(TRY_CAST(${v} AS JSON[]), CAST([] AS JSON[]))))`)
    }
    return `list_concat(${levels.join(', ')})`
  },
  some: (array, v, predicate) => `len(list_filter(${array}, ${v} -> ${predicate})) > 0`,
  filter: (array, v, predicate) => `list_filter(${array}, ${v} -> ${predicate})`,
  transform: (array, v, expression) => `list_transform(${array}, ${v} -> ${expression})`,
  length: (array) => `len(${array})`,
  single: (x) => `[${x}]`,
  textArray: (items) => `CAST([${items.join(', ')}] AS VARCHAR[])`,
  // DuckDB's regular expressions are RE2 (https://duckdb.org/docs/stable/sql/functions/regular_expressions), as re2js is.
  regexMatch: (text, re) => `regexp_matches(${text}, ${quote(re)})`,
  fixedRegexMatch: (text, re) => `regexp_matches(${text}, ${quote(re)})`,
  recordField: (key, path) => ({ kind: 'json', sql: `json_extract(record, ${quote(`$."${plainKey(key, path)}"`)})`, root: { sql: 'record', keys: [key] } }),
  recordJson: 'record',
}
