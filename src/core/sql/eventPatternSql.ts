import type { Lists } from '../rules/pattern/operators.js'
import { compileEventPattern } from '../rules/pattern/matchesPattern.js'
import { DIALECTS, type DialectName } from './auditQuery.js'
import { materialise, objectSql, type PatternContext } from './patternSql.js'
import type { SqlValue } from './sqlValue.js'

/**
 * A plain EventBridge pattern (no rule context: the event's own fields) as a query over `table` (columns id and the
 * JSON `record`, DuckDB) returning the ids of the events it matches. Throws SqlRefusal when SQL cannot say it,
 * PatternError when the pattern is invalid. For checking the operators against aws/event-ruler's cases.
 */
export function eventPatternQuery(pattern: unknown, table: string, dialect: DialectName = 'duckdb', lists: Lists = {}): string {
  const paths = new Map<string, string>()
  const reads = new Map<string, string>()
  let n = 0
  const ctx: PatternContext = {
    dialect: DIALECTS[dialect],
    lists,
    fresh: () => `x${++n}`,
    column(expression, stage = 0) {
      const t = stage === 0 ? paths : reads
      let name = t.get(expression)
      if (name === undefined) t.set(expression, (name = `${stage === 0 ? 'tw_j' : 'tw_l'}${t.size + 1}`))
      return name
    },
  }
  const root: SqlValue = { kind: 'object', field: (key, path) => materialise(ctx.dialect.recordField(key, path), ctx) }
  const predicate = objectSql(compileEventPattern(pattern, lists), root, '', ctx)
  const cols = (m: Map<string, string>) => [...m].map(([e, name]) => `, ${e} AS ${name}`).join('')
  return `WITH t1 AS (SELECT *${cols(paths)} FROM ${table}), t2 AS (SELECT *${cols(reads)} FROM t1) SELECT id FROM t2 WHERE ${predicate} ORDER BY id`
}
