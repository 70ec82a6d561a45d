import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { NormaliseSettings } from '../core/intake/settings.js'
import { compileRuleSet, type RuleSource } from '../core/rules/engine/compileRuleSet.js'
import { didYouMean } from '../core/rules/language/problem.js'
import type { RuleSet } from '../core/rules/engine/ruleSet.js'
import type { LocatedProblem } from '../core/rules/language/yamlSource.js'
import { RuleSetError } from '../errors.js'
import type { Config } from './configSchema.js'
import { displayPath } from './displayPath.js'
import { loadConfig } from './loadConfig.js'

export interface RuleBundle {
  /** Absent when there are errors. */
  ruleSet?: RuleSet
  config: Config
  settings: NormaliseSettings
  /** Errors and warnings of every rule file and the config. */
  problems: LocatedProblem[]
  files: number
}

/** Every .yaml/.yml file below dir (rule files), skipping dot-folders and node_modules. */
export async function findRuleFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(dir, { withFileTypes: true })
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue
    const path = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await findRuleFiles(path)))
    else if (/\.ya?ml$/.test(e.name)) out.push(path)
  }
  return out.sort()
}

/** Read the config and every rule file; compile; report every problem. Never throws for bad content. */
export interface RuleLocation {
  rulesDir: string
  configPath?: string | undefined
  /** For exception-expiry warnings. */
  now?: number
}

export async function loadRuleBundle({ rulesDir, configPath, now = Date.now() }: RuleLocation): Promise<RuleBundle> {
  const loaded = await loadConfig(configPath)
  let files: string[]
  try {
    files = await findRuleFiles(rulesDir)
  } catch (err) {
    const problem: LocatedProblem = {
      file: displayPath(rulesDir),
      line: 1,
      col: 1,
      message: `cannot read the rules folder: ${(err as Error).message}`,
      fix: 'check TRAILWARDEN_RULES or --rules',
      severity: 'error',
    }
    return { ...loaded, problems: [...loaded.problems, problem], files: 0 }
  }
  const sources: RuleSource[] = await Promise.all(files.map(async (f) => ({ file: displayPath(f), text: await readFile(f, 'utf8') })))
  const compiled = compileRuleSet(sources, {
    lists: loaded.config.lists,
    now,
    testFileExists: (ruleFile, rel) => existsSync(resolve(dirname(ruleFile), rel)),
  })
  const problems = [...loaded.problems, ...compiled.problems]
  // Cross-references, once both sides are known: a route naming a rule that does not exist never fires.
  if (compiled.ruleSet && loaded.locate) {
    const ids = new Set(compiled.ruleSet.rules.map((r) => r.id))
    loaded.config.slack.routes.forEach((route, i) => {
      route.match.rule?.forEach((id, j) => {
        if (!ids.has(id))
          problems.push(loaded.locate!({ path: ['slack', 'routes', i, 'match', 'rule', j], message: `route names rule '${id}', which does not exist${didYouMean(id, ids)}`, fix: 'fix the id or remove it' }))
      })
    })
  }
  const bundle: RuleBundle = { config: loaded.config, settings: loaded.settings, problems, files: files.length }
  if (compiled.ruleSet && !problems.some((p) => p.severity === 'error')) bundle.ruleSet = compiled.ruleSet
  return bundle
}

/** Like loadRuleBundle, but throws RuleSetError when anything is wrong: what the daemon uses at start. */
export async function loadRules(options: RuleLocation): Promise<RuleBundle & { ruleSet: RuleSet }> {
  const bundle = await loadRuleBundle(options)
  if (!bundle.ruleSet) throw new RuleSetError(bundle.problems)
  return { ...bundle, ruleSet: bundle.ruleSet }
}

/** Test event files are read relative to their rule file. */
export const readRuleFile = async (ruleFile: string, rel: string): Promise<string> => readFile(resolve(dirname(ruleFile), rel), 'utf8')
