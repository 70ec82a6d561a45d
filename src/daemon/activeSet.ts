import { createHash } from 'node:crypto'
import type { Config } from '../config/configSchema.js'
import type { DecisionSet } from '../core/decide/decide.js'
import type { IntakeLimits } from '../core/intake/parseBody.js'
import type { NormaliseSettings } from '../core/intake/settings.js'
import type { RuleSet } from '../core/rules/engine/ruleSet.js'
import type { SinkSettings } from '../sinks/alertSink.js'
import { durationMs } from '../core/rules/language/ruleSchema.js'
import { mentionHandles } from '../core/alerts/mentionSyntax.js'

/**
 * Everything a reload can change, built and validated together and swapped as one value: a message is decided,
 * routed and delivered under one set, never half of the old and half of the new. What is not in here (the queue
 * URL, the port, the tokens: the environment) needs a restart.
 */
export interface ActiveSet {
  ruleSet: RuleSet
  config: Config
  settings: NormaliseSettings
  intake: IntakeLimits
  decision: DecisionSet
  sink: SinkSettings
  heartbeat?: { silentForMs: number, channel: string } | undefined
  publisher?: { bus: string, detailType: string } | undefined
}

/** node:crypto's SHA-256 for record digests: the same digest as the core's pure-JS one, about ten times faster. */
export const recordDigest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16)

/** The active set of a valid rule set and config. `stdout` names the default channel when there is no Slack. */
export function activeSetOf(ruleSet: RuleSet, config: Config, settings: NormaliseSettings): ActiveSet {
  const defaultChannel = config.slack.defaultChannel ?? 'stdout'
  return {
    ruleSet,
    config,
    settings,
    intake: config.intake,
    decision: { ruleSet, routes: config.slack.routes, defaultChannel, accounts: config.accounts, digest: recordDigest },
    sink: {
      fallbackChannel: config.slack.fallbackChannel,
      stormThreshold: config.slack.stormThreshold,
      perChannelPerSecond: config.slack.perChannelPerSecond,
      mentionHandles: mentionHandles([...config.slack.routes.map((r) => r.mention), ...ruleSet.rules.map((r) => r.notify?.mention)]),
    },
    heartbeat: config.heartbeat ? { silentForMs: durationMs(config.heartbeat.silentFor), channel: config.heartbeat.channel ?? defaultChannel } : undefined,
    publisher: config.eventbridge ? { bus: config.eventbridge.bus, detailType: config.eventbridge.detailType } : undefined,
  }
}

/** The settings a reload changed that the daemon applies by itself, for the reload log. */
export function changedSettings(before: ActiveSet, after: ActiveSet): string[] {
  const changed: string[] = []
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  if (before.ruleSet.hash !== after.ruleSet.hash) changed.push('rules')
  for (const key of ['environments', 'lists', 'mfa', 'accounts', 'slack', 'heartbeat', 'eventbridge', 'intake'] as const) {
    if (!same(before.config[key], after.config[key])) changed.push(key)
  }
  return changed
}
