import { parse } from 'yaml'
import type { Config } from '../config/configSchema.js'
import { findRuleFiles } from '../config/findRuleFiles.js'
import { readFiles } from '../config/readFiles.js'
import { nodeRuleFileSystem } from '../config/ruleFileSystem.js'
import { isListsFile, listsFileSchema, mergeLists } from '../core/rules/engine/listsFile.js'
import type { Lists } from '../core/rules/pattern/operators.js'
import type { NormaliseOptions } from '../core/intake/settings.js'
import type { CompiledRule } from '../core/rules/engine/compileRule.js'
import { auditQuery, type AuditQuery, type DialectName } from '../core/sql/auditQuery.js'
import type { OptionSpec } from './io.js'

/** Options shared by `sql` and `audit`: which rules, which records. */
export const SQL_OPTIONS = {
  rule: { type: 'string', value: 'ID[,ID…]', description: 'these rules only (default: every rule)' },
  since: { type: 'string', value: 'DATE', description: 'records at or after this (2026-11-01 or 2026-11-01T12:00:00Z); on Athena also the timestamp partition' },
  until: { type: 'string', value: 'DATE', description: 'records at or before this; on Athena also the timestamp partition' },
  accounts: { type: 'string', value: 'ID[,ID…]', description: 'recipient accounts (on Athena: the account partition)' },
  regions: { type: 'string', value: 'R[,R…]', description: 'regions (on Athena: the region partition)' },
} as const satisfies Record<string, OptionSpec>

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : undefined)

/** The config's environments and MFA globs, as normalisation reads them (loadConfig's settingsOf, uncompiled). */
export const normaliseOptionsOf = (config: Config): NormaliseOptions => ({
  environments: Object.entries(config.environments).map(([name, env]) => ({ name, ...env })),
  mfaEnforcedUpstream: config.mfa.enforcedUpstream,
})

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/

/**
 * The lists the rules were compiled with: the pack's lists files, overridden or extended by the config (mergeLists,
 * as compileRuleSet does). The rule set is already valid, so every lists file parses.
 */
export async function effectiveLists(rulesDir: string, config: Config): Promise<Lists> {
  const listing = await findRuleFiles(rulesDir, nodeRuleFileSystem)
  const pack: Record<string, ReadonlyArray<string | number>> = {}
  for (const [, result] of await readFiles(listing.files, nodeRuleFileSystem.readText)) {
    if (!('text' in result)) continue
    const value: unknown = parse(result.text)
    if (!isListsFile(value)) continue
    const file = listsFileSchema.safeParse(value)
    if (file.success) Object.assign(pack, file.data.lists)
  }
  return mergeLists(pack, config.lists)
}

/** The rules chosen and the query for them; an error message for a bad option. */
export function buildQuery(
  values: { rule?: string | undefined, since?: string | undefined, until?: string | undefined, accounts?: string | undefined, regions?: string | undefined },
  rules: readonly CompiledRule[],
  config: Config,
  lists: Lists,
  target: { dialect: DialectName, table: string, perRule?: boolean, record?: boolean },
): AuditQuery | { error: string } {
  const wanted = list(values.rule)
  if (wanted) {
    const unknown = wanted.filter((id) => !rules.some((r) => r.id === id))
    if (unknown.length > 0) return { error: `no rule with id ${unknown.map((u) => `'${u}'`).join(', ')}` }
  }
  for (const [name, v] of [['since', values.since], ['until', values.until]] as const) {
    // eventTime is compared as text in SQL, so only the form CloudTrail writes (UTC, Z) compares correctly.
    if (v !== undefined && (!ISO.test(v) || Number.isNaN(Date.parse(v)))) return { error: `--${name} ${v}: use 2026-11-01 or 2026-11-01T12:00:00Z (UTC)` }
  }
  for (const [name, v] of [['accounts', list(values.accounts)], ['regions', list(values.regions)]] as const) {
    if (v?.some((x) => !/^[a-z0-9-]+$/.test(x))) return { error: `--${name}: letters, digits and dashes only` }
  }
  const chosen = wanted ? rules.filter((r) => wanted.includes(r.id)) : rules
  return auditQuery(chosen, {
    dialect: target.dialect,
    table: target.table,
    lists,
    settings: normaliseOptionsOf(config),
    since: values.since,
    until: values.until,
    accounts: list(values.accounts),
    regions: list(values.regions),
    perRule: target.perRule,
    record: target.record,
  })
}
