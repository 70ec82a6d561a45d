import type { DeriveContext } from './derivedColumns.js'
import { materialise } from './patternSql.js'
import { refuse } from './sqlRefusal.js'
import { ABSENT, type SqlValue } from './sqlValue.js'
import { lookup } from '../json.js'

type Typed = [kind: 'text' | 'bool' | 'texts', column: string]

const ACTOR: Record<string, Typed> = {
  type: ['text', 'tw_actor_type'],
  arn: ['text', 'tw_ui_arn'],
  account: ['text', 'tw_actor_account'],
  name: ['text', 'tw_actor_name'],
  role: ['text', 'tw_actor_role'],
  session: ['text', 'tw_actor_session'],
  sourceIdentity: ['text', 'tw_source_identity'],
  console: ['bool', 'tw_actor_console'],
  mfa: ['bool', 'tw_actor_mfa'],
  service: ['bool', 'tw_actor_service'],
  via: ['text', 'tw_actor_via'],
}

const ECS: Record<string, Typed> = {
  cluster: ['text', 'tw_ecs_cluster'],
  service: ['text', 'tw_ecs_service'],
  taskDefinition: ['text', 'tw_ecs_task_definition'],
  container: ['texts', 'tw_ecs_container'],
  task: ['text', 'tw_ecs_task'],
  externalImages: ['texts', 'tw_ecs_external_images'],
}

const CONTEXT: Record<string, Typed> = {
  'mutating': ['bool', 'tw_mutating'],
  'source': ['text', 'tw_source'],
  'detail-type': ['text', 'tw_detail_type'],
  'account': ['text', 'tw_account'],
  'region': ['text', 'tw_region'],
  'env': ['text', 'tw_env'],
}

function typed(c: DeriveContext & { use(column: string): void }, table: Record<string, Typed>): SqlValue {
  return {
    kind: 'object',
    field: (key) => {
      const t = lookup(table, key)
      if (!t) return ABSENT
      c.use(t[1])
      return { kind: t[0], sql: t[1] }
    },
  }
}

/** The record alone, as `detail` shows it (the record's own fields, none of the context). */
const recordObject = (c: DeriveContext): SqlValue => ({ kind: 'object', field: (key, path) => materialise(c.dialect.recordField(key, path), c) })

/**
 * What a rule pattern sees (subject.ts): the context fields over the record's own. Context fields are columns of the
 * derivation chain (derivedColumns.ts), recorded with `use` so only those are computed.
 */
export function subjectValue(c: DeriveContext & { use(column: string): void }): SqlValue {
  return {
    kind: 'object',
    field(key, path) {
      if (key === 'actor') return typed(c, ACTOR)
      if (key === 'ecs') return typed(c, ECS)
      if (key === 'detail') return recordObject(c)
      if (key === 'eventKey') return refuse(path, 'eventKey names a record by a digest of its content when its id is unusual, which SQL does not compute')
      if (key === 'change') return refuse(path, 'change.* compares a resource with its state before the call, kept from earlier events: one row of the log cannot say it')
      const t = lookup(CONTEXT, key)
      if (t) {
        c.use(t[1])
        return { kind: t[0], sql: t[1] }
      }
      return materialise(c.dialect.recordField(key, path), c)
    },
  }
}
