/**
 * What a field of the rule subject is, in SQL. A JSON value (the record's own fields), a typed column or derived
 * expression (a string, a boolean, a list of strings), an object whose fields are known when the SQL is written
 * (actor, ecs, the record itself), or absent. SQL NULL always means "absent": the engine's `undefined`.
 */
export type SqlValue =
  | { kind: 'absent' }
  /** root: where a record-rooted value starts and the members below it (one JSON path, computed once a row). */
  | { kind: 'json', sql: string, root?: { sql: string, keys: readonly string[] } }
  | { kind: 'text', sql: string }
  | { kind: 'bool', sql: string }
  | { kind: 'texts', sql: string }
  | { kind: 'object', field: (key: string, path: string) => SqlValue }

export const ABSENT: SqlValue = { kind: 'absent' }

/**
 * One primitive value being tested, as predicates on its type and its value read as that type. A JSON element
 * can be any type; a typed column only its own (the others are FALSE, and the tests fold away).
 */
export interface SqlElement {
  isString: string
  text: string
  isNumber: string
  number: string
  isBool: string
  boolean: string
  isNull: string
}
