import { createHash } from 'node:crypto'
import type { Alert } from '../core/alerts/alert.js'
import { exceptionNoticeAlert } from '../core/alerts/exceptionNoticeAlert.js'
import type { Target } from '../core/alerts/routeAlert.js'
import { ruleTargets } from '../core/alerts/ruleTargets.js'
import { dueExceptionNotices } from '../core/rules/engine/dueExceptionNotices.js'
import type { AnnounceOnce } from '../state/announceOnce.js'
import type { ActiveSet } from './activeSet.js'

/**
 * Tells a rule's channel that one of its exceptions expires within 14 days, or has lapsed (the decision is
 * dueExceptionNotices, in core): checked when a set becomes active (start, reload) and hourly, so a day's notice
 * goes out within the hour it falls due. Each notice once per exception and kind in this process, and with shared
 * state (#19) once per 30-day window across replicas and restarts.
 */
export function createExceptionExpiryWatch(options: {
  deliver: (alert: Alert, target: Target) => Promise<unknown>
  log: { warn(obj: object, msg: string): void, error(obj: object, msg: string): void }
  now: () => number
  intervalMs?: number
  announce?: AnnounceOnce
}) {
  let active: ActiveSet | undefined
  /** Keys of the notices posted by this process: one expiring and one lapsed notice per exception (a handful). */
  const posted = new Set<string>()
  const timer = setInterval(() => { safeCheck() }, options.intervalMs ?? 3_600_000)
  timer.unref()

  function check(): void {
    if (!active) return
    const at = options.now()
    const due = dueExceptionNotices(active.ruleSet.rules, at)
    for (const notice of due) {
      if (posted.has(notice.key)) continue
      posted.add(notice.key)
      const alert = exceptionNoticeAlert(notice, at)
      const { rule } = notice
      const targets = ruleTargets(alert, rule, active.decision.routes, active.decision.defaultChannel)
      options.log.warn({ rule: rule.id, exception: notice.exception.reason, expires: notice.exception.expiry.date, kind: notice.kind }, alert.title)
      for (const t of targets) {
        const send = () => options.deliver(alert, t)
        const key = `exception#${createHash('sha256').update(`${notice.key}\n${t.channel}`).digest('hex').slice(0, 32)}`
        void (options.announce ? options.announce(key, 30 * 86_400_000, send) : send()).catch((err: unknown) => {
          options.log.error({ err: String(err), rule: rule.id, channel: t.channel }, 'could not deliver the exception-expiry notice')
        })
      }
    }
  }

  /** A notice is a courtesy: nothing in it may stop the timer or a reload's other listeners. */
  function safeCheck(): void {
    try {
      check()
    } catch (err) {
      options.log.error({ err: String(err) }, 'the exception-expiry check failed')
    }
  }

  return {
    configure(next: ActiveSet) {
      active = next
      safeCheck()
    },
    check: safeCheck,
    stop() {
      clearInterval(timer)
      active = undefined
    },
  }
}
