import type { Alert } from '../alerts/alert.js'
import { buildAlert } from '../alerts/buildAlert.js'
import { routeAlert, type Route, type Target } from '../alerts/routeAlert.js'
import type { NormalisedEvent } from '../intake/types.js'
import type { CompiledException, CompiledRule } from '../rules/engine/compileRule.js'
import { evaluate } from '../rules/engine/evaluate.js'
import type { RuleSet } from '../rules/engine/ruleSet.js'
import type { Severity } from '../rules/language/ruleSchema.js'
import { type Silence, silenceFor } from '../silences/silence.js'
import { fallbackAlert } from './fallbackAlert.js'

/** What a decision needs from the active set: the rules, where alerts go, how accounts are named. */
export interface DecisionSet {
  ruleSet: RuleSet
  routes: readonly Route[]
  /** The channel of alerts no route claims ("stdout" when alerts go to standard output). */
  defaultChannel: string
  accounts: Readonly<Record<string, { alias: string }>>
  /** SHA-256 (16 hex characters) for an alert's record digest; default: the core's pure-JS one. */
  digest?: ((text: string) => string) | undefined
}

/** An alert and every channel it goes to. */
export interface RoutedAlert {
  alert: Alert
  targets: Target[]
  event: NormalisedEvent
  /** Set when building the full alert failed and a minimal one stands in for it (the reason, for the log). */
  degraded?: string
}

export interface Decision {
  /** Alerts to deliver, in event order then rule-set order. Never from a shadow rule. */
  alerts: RoutedAlert[]
  /** Matches an exception suppressed (counted, never notified). */
  suppressed: Array<{ event: NormalisedEvent, rule: CompiledRule, exception: CompiledException }>
  /** Matches a silence made in Slack suppressed (counted like exceptions, never notified). */
  silenced: Array<{ event: NormalisedEvent, rule: CompiledRule, silence: Silence }>
  /** Matches of `mode: shadow` rules (counted, never notified: rules/README.md). */
  shadowed: Array<{ event: NormalisedEvent, rule: CompiledRule, severity: Severity }>
  /** Events whose evaluation threw (a defect): the others are decided as usual. */
  failed: Array<{ event: NormalisedEvent, reason: string }>
}

export interface DecideOptions {
  /** ms since the epoch: whether exceptions with an expiry still apply. */
  now: number
  /**
   * The time an event's exceptions are judged at; default `now`. Replaying last month applies last month's
   * exceptions: `(e) => Date.parse(e.record.eventTime)`.
   */
  judgeAt?: (event: NormalisedEvent) => number
  /**
   * The silences made in Slack, as a value (the daemon reads them from the state store; replay and backtest pass
   * none): a match one of them covers at `now` is suppressed like an exception's.
   */
  silences?: readonly Silence[] | undefined
}

export const emptyDecision = (): Decision => ({ alerts: [], suppressed: [], silenced: [], shadowed: [], failed: [] })

/**
 * The one decision step every entry point shares (the daemon's messages, replay, backtest, demo, the history
 * sources): for each normalised event, the rules it matches, what an exception suppressed, what a shadow rule saw,
 * and for every other match an alert with its routes. The only place that applies `mode: shadow`, exceptions and
 * routing. Pure and total: one event that cannot be decided costs no other event's alert.
 */
export function decide(events: readonly NormalisedEvent[], set: DecisionSet, options: DecideOptions): Decision {
  const decision = emptyDecision()
  for (const event of events) decideInto(decision, event, set, options)
  return decision
}

/** One event into an existing decision (replay streams millions of events through one). */
export function decideInto(decision: Decision, event: NormalisedEvent, set: DecisionSet, options: DecideOptions): void {
  let evaluation
  try {
    const at = options.judgeAt?.(event) ?? options.now
    evaluation = evaluate(set.ruleSet, event, Number.isFinite(at) ? at : options.now)
  } catch (err) {
    decision.failed.push({ event, reason: `evaluation failed: ${errorName(err)}` })
    return
  }
  for (const s of evaluation.suppressed) decision.suppressed.push({ event, rule: s.rule, exception: s.exception })
  for (const match of evaluation.matched) {
    if (match.rule.mode === 'shadow') {
      decision.shadowed.push({ event, rule: match.rule, severity: match.severity })
      continue
    }
    const silence = options.silences && options.silences.length > 0 ? silenceFor(options.silences, match.rule.id, event, options.now) : undefined
    if (silence) {
      decision.silenced.push({ event, rule: match.rule, silence })
      continue
    }
    let alert: Alert
    let degraded: string | undefined
    try {
      alert = buildAlert(match, event, set.accounts, set.digest)
    } catch (err) {
      degraded = `building the alert failed: ${errorName(err)}`
      alert = fallbackAlert(match, event, degraded)
    }
    const routed: RoutedAlert = { alert, targets: routeAlert(alert, set.routes, set.defaultChannel), event }
    if (degraded) routed.degraded = degraded
    decision.alerts.push(routed)
  }
}

/** A thrown value's class name only: its message may quote the (untrusted) event. */
function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err
}
