import type { Config } from '../config/configSchema.js'
import type { NormaliseSettings } from '../core/intake/settings.js'
import type { RuleSet } from '../core/rules/engine/ruleSet.js'

/** The rule set and the config it was loaded with: swapped as one on reload, so a message never sees half of each. */
export interface ActiveRules {
  ruleSet: RuleSet
  config: Config
  settings: NormaliseSettings
}
