import type { ComponentStatus, HasStatus } from '../health/componentStatus.js'
import { StatusTracker } from '../health/statusTracker.js'
import type { Metrics } from '../metrics/createMetrics.js'
import { type ActiveSet, changedSettings } from './activeSet.js'
import type { ActiveSetOutcome } from './loadActiveSet.js'

export interface HolderLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface ActiveSetHolder extends HasStatus {
  current(): ActiveSet
  /**
   * Load, validate and test a new set; swap it in only when everything passes, else keep the last good one and log
   * every problem. Never rejects: whatever goes wrong while loading is a refusal, never the end of the process.
   */
  reload(why: string): Promise<boolean>
  /** Called after every accepted reload, with the new set and the old, so components pick up their settings. */
  onChange(listener: (next: ActiveSet, previous: ActiveSet) => void): void
}

/**
 * The one place a reload is accepted or refused. The set is swapped atomically (one assignment), so a message is
 * decided and routed under one set; listeners (the Slack sink, the heartbeat, the publisher, the drift check)
 * follow after the swap. Concurrent reloads (SIGHUP during a --watch burst) share one load.
 */
export function createActiveSetHolder(options: {
  first: ActiveSet
  load: () => Promise<ActiveSetOutcome>
  log: HolderLog
  metrics: Metrics
  now: () => number
  /** For the log: where the rules came from. */
  location: { rulesDir: string, configPath?: string | undefined }
}): ActiveSetHolder {
  const { log, metrics, now, location } = options
  let active = options.first
  let reloading: Promise<boolean> | undefined
  const listeners: Array<(next: ActiveSet, previous: ActiveSet) => void> = []
  const describe = (a: ActiveSet) => `${a.ruleSet.rules.length} rules, set ${a.ruleSet.hash}`
  const tracker = new StatusTracker(true, describe(active), now())

  const announce = (a: ActiveSet) => {
    metrics.rulesLoaded.set(a.ruleSet.rules.length)
    metrics.reloadTimestamp.set(now() / 1000)
    metrics.reloadSuccess.set(1)
    log.info({ rules: a.ruleSet.rules.length, hash: a.ruleSet.hash, dir: location.rulesDir, config: location.configPath ?? null }, 'rules loaded')
  }
  announce(active)

  async function attempt(why: string): Promise<boolean> {
    let outcome: ActiveSetOutcome
    try {
      outcome = await options.load()
    } catch (err) {
      outcome = { ok: false, problems: [`loading failed: ${err instanceof Error ? err.message : String(err)}`], warnings: [], files: 0, rules: 0 }
    }
    metrics.reloadTimestamp.set(now() / 1000)
    for (const w of outcome.warnings) log.warn({ rules: location.rulesDir }, w)
    if (!outcome.ok) {
      metrics.reloadSuccess.set(0)
      for (const p of outcome.problems) log.error({ rules: location.rulesDir }, p)
      log.error({ why, kept: active.ruleSet.hash, problems: outcome.problems.length }, 'reload refused: keeping the last good rule set')
      tracker.set(true, `${describe(active)}; the last reload was refused (${outcome.problems.length} problems, see the log)`, now(), [`reload refused: ${outcome.problems.length} problems; still running rule set ${active.ruleSet.hash}`])
      return false
    }
    const previous = active
    active = outcome.active
    announce(active)
    const changed = changedSettings(previous, active)
    log.info({ why, changed, restartNeededFor: 'environment variables (queue URL, port, tokens, endpoints) are read once, at start' }, changed.length ? 'reload accepted' : 'reload accepted: nothing changed')
    tracker.set(true, describe(active), now())
    for (const l of listeners) {
      try {
        l(active, previous)
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'a component could not take the new settings')
      }
    }
    return true
  }

  return {
    name: 'rules',
    current: () => active,
    reload(why) {
      reloading ??= attempt(why).finally(() => {
        reloading = undefined
      })
      return reloading
    },
    onChange(listener) {
      listeners.push(listener)
    },
    status: (): ComponentStatus => tracker.status,
  }
}
