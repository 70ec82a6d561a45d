import { parse } from 'yaml'
import type { NormaliseSettings } from '../core/intake/settings.js'
import { isListsFile } from '../core/rules/engine/listsFile.js'
import { compileRuleSet, type RuleSource } from '../core/rules/engine/compileRuleSet.js'
import type { RuleSet } from '../core/rules/engine/ruleSet.js'
import { didYouMean } from '../core/rules/language/problem.js'
import type { LocatedProblem } from '../core/rules/language/yamlSource.js'
import type { EventFiles } from '../core/rules/ruleTests/runRuleTests.js'
import { RuleSetError } from '../errors.js'
import type { Config } from './configSchema.js'
import { displayPath } from './displayPath.js'
import { fileProblem } from './fileProblem.js'
import { findRuleFiles } from './findRuleFiles.js'
import { loadConfig } from './loadConfig.js'
import { readFiles } from './readFiles.js'
import { type EventFileRequest, type RuleFileSource, readTestEvents } from './readTestEvents.js'
import { nodeRuleFileSystem, type RuleFileSystem } from './ruleFileSystem.js'

export interface RuleBundle {
  /** Absent when there are errors. */
  ruleSet?: RuleSet
  config: Config
  settings: NormaliseSettings
  /** Errors and warnings of every rule file, folder, test event file and the config. */
  problems: LocatedProblem[]
  /** Rule files found (read or not), lists files included. */
  files: number
  /** Of those, the lists files (a pack's list defaults, e.g. rules/ecs/lists.yaml), so messages can count them apart. */
  listsFiles: number
  /** The rules' test event files, read while loading: what runRuleTests looks them up in. */
  eventFiles: EventFiles
}

export interface RuleLocation {
  rulesDir: string
  configPath?: string | undefined
  /** TRAILWARDEN_SLACK_DEFAULT_CHANNEL: when set, it replaces slack.defaultChannel of the config (the environment wins). */
  defaultChannel?: string | undefined
  /** For exception-expiry warnings. */
  now?: number
}

/** Problems of rule files in file order (as compileRuleSet reports them), whatever step found them. */
const byFile = (a: LocatedProblem, b: LocatedProblem) => a.file.localeCompare(b.file)

/**
 * Read the config, every rule file and every test event file; compile; report every problem. Total: it never
 * rejects for anything on disk (a missing, unreadable or vanishing file or folder, a dangling link, a FIFO) — each
 * is a located problem, and any error means no rule set, so a reload keeps the last good one.
 */
export async function loadRuleBundle(
  { rulesDir, configPath, defaultChannel, now = Date.now() }: RuleLocation,
  fs: RuleFileSystem = nodeRuleFileSystem,
): Promise<RuleBundle> {
  const loaded = await loadConfig(configPath, fs.readText)
  // The deployment's channel (a stack parameter, through the environment) wins over the file's: the file travels in
  // an image from one account to another, the parameter belongs to the one it runs in.
  if (defaultChannel) loaded.config = { ...loaded.config, slack: { ...loaded.config.slack, defaultChannel } }
  const listing = await findRuleFiles(rulesDir, fs)
  const read = await readFiles(listing.files, fs.readText)
  const sources = new Map<string, RuleFileSource>()
  const readProblems: LocatedProblem[] = []
  for (const [path, result] of read) {
    if ('text' in result) sources.set(displayPath(path), { path, text: result.text })
    else readProblems.push(fileProblem(path, result.error, 'the rule file'))
  }
  // compileRuleSet asks whether each test's event file exists; it is answered after compiling, by reading them all.
  const requests: EventFileRequest[] = []
  const compiled = compileRuleSet([...sources].map(([file, s]): RuleSource => ({ file, text: s.text })), {
    lists: loaded.config.lists,
    now,
    testFileExists: (ruleFile, relative) => {
      requests.push({ ruleFile, relative })
      return true
    },
  })
  const events = await readTestEvents(requests, sources, fs.readText)
  const problems = [...loaded.problems, ...[...listing.problems, ...readProblems, ...compiled.problems, ...events.problems].sort(byFile)]
  // Cross-references, once both sides are known: a route naming a rule that does not exist never fires. Not when a
  // rule file could not be read: its rules would be reported as missing for the wrong reason.
  if (compiled.ruleSet && loaded.locate && readProblems.length === 0) {
    const ids = new Set(compiled.ruleSet.rules.map((r) => r.id))
    const locate = loaded.locate
    loaded.config.slack.routes.forEach((route, i) => {
      route.match.rule?.forEach((id, j) => {
        if (!ids.has(id))
          problems.push(locate({ path: ['slack', 'routes', i, 'match', 'rule', j], message: `route names rule '${id}', which does not exist${didYouMean(id, ids)}`, fix: 'fix the id or remove it' }))
      })
    })
  }
  const listsFiles = [...sources.values()].filter((s) => isListsFile(parseQuietly(s.text))).length
  const bundle: RuleBundle = {
    config: loaded.config, settings: loaded.settings, problems, files: listing.files.length, listsFiles, eventFiles: events.eventFiles,
  }
  if (compiled.ruleSet && !problems.some((p) => p.severity === 'error')) bundle.ruleSet = compiled.ruleSet
  return bundle
}

/** A YAML document's value, or undefined when it does not parse (its problem is reported by the compiler). */
function parseQuietly(text: string): unknown {
  try {
    return parse(text, { logLevel: 'silent' }) as unknown
  } catch {
    return undefined
  }
}

/** Like loadRuleBundle, but throws RuleSetError when anything is wrong. */
export async function loadRules(options: RuleLocation, fs: RuleFileSystem = nodeRuleFileSystem): Promise<RuleBundle & { ruleSet: RuleSet }> {
  const bundle = await loadRuleBundle(options, fs)
  if (!bundle.ruleSet) throw new RuleSetError(bundle.problems)
  return { ...bundle, ruleSet: bundle.ruleSet }
}
