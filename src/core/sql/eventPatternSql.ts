import type { Lists } from '../rules/pattern/operators.js'
import { compileEventPattern } from '../rules/pattern/matchesPattern.js'
import { DIALECTS, type DialectName, duckdbPathLevels } from './auditQuery.js'
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
  const levels = [...(dialect === 'duckdb' ? duckdbPathLevels(paths) : [[...paths].map(([e, name]) => `${e} AS ${name}`)]), [...reads].map(([e, name]) => `${e} AS ${name}`)]
    .filter((l) => l.length > 0)
  const chain = levels.map((columns, i) => `, t${i + 1} AS (SELECT *, ${columns.join(', ')} FROM t${i})`).join('')
  return `WITH t0 AS (SELECT * FROM ${table})${chain} SELECT id FROM t${levels.length} WHERE ${predicate} ORDER BY id`
}
