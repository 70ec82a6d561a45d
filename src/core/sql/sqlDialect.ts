import type { SqlElement, SqlValue } from './sqlValue.js'

/** The SQL an engine needs to read JSON and arrays; everything else is shared SQL (CASE, LIKE, lower, IN). */
export interface SqlDialect {
  name: 'duckdb' | 'athena'
  /** The member `key` of JSON value x: SQL NULL when x is not an object or has no such member. */
  child(x: string, key: string): string
  /** The value at a path of members below x (one JSON path, not a chain of calls). */
  path(x: string, keys: readonly string[]): string
  /**
   * The elements of JSON array x and of the arrays in it, `depth` levels deep, as one SQL array (the arrays among
   * them included: callers skip them).
   */
  flatElements(x: string, depth: number, fresh: () => string): string
  /** Type tests on a JSON value that is not SQL NULL. Inside an array, SQL NULL also means JSON null (`element`). */
  element(x: string, inArray: boolean): SqlElement & { isArray: string, isObject: string }
  /** The JSON elements of JSON array x, as an SQL array. */
  elements(x: string): string
  /** Some element `v` of SQL array `array` satisfies `predicate` (which names v). */
  some(array: string, v: string, predicate: string): string
  /** Keep the elements `v` of `array` that satisfy predicate. */
  filter(array: string, v: string, predicate: string): string
  /** Map the elements `v` of `array` through expression. */
  transform(array: string, v: string, expression: string): string
  /** A one-element SQL array of JSON value x. */
  single(x: string): string
  /** Number of elements of an SQL array. */
  length(array: string): string
  /** An SQL array of strings. */
  textArray(items: string[]): string
  /** RE2 regular expression match (unanchored). Throws SqlRefusal where the engine's regex is not RE2. */
  regexMatch(text: string, re: string, field: string): string
  /** A regular expression the dialect evaluates like JavaScript on the inputs it is used for (user agents, ARNs). */
  fixedRegexMatch(text: string, re: string): string
  /** A record field as the table holds it (the record root). */
  recordField(key: string, path: string): SqlValue
  /** The record itself as a JSON value, where the table holds it (DuckDB); undefined otherwise. */
  recordJson?: string
}
