import { compileNormaliseSettings, type NormaliseSettings } from '../core/intake/settings.js'
import { schemaKeysAt } from '../core/rules/language/schemaKeys.js'
import { schemaProblems } from '../core/rules/language/schemaProblems.js'
import { type LocatedProblem, parseYamlSource, type YamlSource } from '../core/rules/language/yamlSource.js'
import { type Config, configSchema, DEFAULT_CONFIG } from './configSchema.js'
import { displayPath } from './displayPath.js'
import { fileProblem } from './fileProblem.js'
import { readTextFile } from './readTextFile.js'

export interface LoadedConfig {
  config: Config
  settings: NormaliseSettings
  problems: LocatedProblem[]
  /** Place a problem found later (a cross-reference) in the config file. */
  locate?: YamlSource['locate']
}

export function settingsOf(config: Config): NormaliseSettings {
  return compileNormaliseSettings({
    environments: Object.entries(config.environments).map(([name, env]) => ({ name, ...env })),
    mfaEnforcedUpstream: config.mfa.enforcedUpstream,
  })
}

/** trailwarden.yaml → config, or located problems (never rejects). No path: the defaults. */
export async function loadConfig(path: string | undefined, readText: (path: string) => Promise<string> = readTextFile): Promise<LoadedConfig> {
  if (!path) return { config: DEFAULT_CONFIG, settings: settingsOf(DEFAULT_CONFIG), problems: [] }
  const file = displayPath(path)
  let text: string
  try {
    text = await readText(path)
  } catch (err) {
    return { config: DEFAULT_CONFIG, settings: settingsOf(DEFAULT_CONFIG), problems: [fileProblem(path, err, 'the config', 'check TRAILWARDEN_CONFIG or --config')] }
  }
  const yaml = parseYamlSource(file, text)
  if (yaml.problems.length > 0) return { config: DEFAULT_CONFIG, settings: settingsOf(DEFAULT_CONFIG), problems: yaml.problems }
  const parsed = configSchema.safeParse(yaml.value ?? {})
  if (!parsed.success) {
    const problems = schemaProblems(parsed.error, yaml.value ?? {}, (p) => schemaKeysAt(configSchema, p)).map((p) => yaml.locate(p))
    return { config: DEFAULT_CONFIG, settings: settingsOf(DEFAULT_CONFIG), problems }
  }
  return { config: parsed.data, settings: settingsOf(parsed.data), problems: [], locate: yaml.locate }
}
