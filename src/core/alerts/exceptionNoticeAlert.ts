import type { ExceptionNotice } from '../rules/engine/dueExceptionNotices.js'
import { exceptionLocation } from '../rules/engine/compileRule.js'
import type { Alert } from './alert.js'
import { systemAlert } from './systemAlert.js'

/**
 * The notice that an exception is about to expire or has lapsed: the events it suppressed alert again from that day,
 * so the rule's owners are told in the rule's own channel before it happens and when it has. `at` is the check time.
 */
export function exceptionNoticeAlert(notice: ExceptionNotice, at: number): Alert {
  const { rule, exception, kind } = notice
  const where = exceptionLocation(rule, exception)
  const alert = systemAlert({
    ruleId: kind === 'lapsed' ? 'trailwarden-exception-lapsed' : 'trailwarden-exception-expiring',
    title: kind === 'lapsed'
      ? `Exception of ${rule.id} expired on ${exception.expiry.date}: "${exception.reason}"`
      : `Exception of ${rule.id} expires on ${exception.expiry.date} (${notice.daysLeft ?? '?'} day${notice.daysLeft === 1 ? '' : 's'} left): "${exception.reason}"`,
    severity: kind === 'lapsed' ? 'low' : 'info',
    description: kind === 'lapsed'
      ? `The exception "${exception.reason}" (${where}) no longer applies: the events it suppressed now alert under ${rule.id}, and its suppressed tests are reported lapsed.`
      : `The exception "${exception.reason}" (${where}) stops applying after ${exception.expiry.date}: from then on the events it suppresses alert under ${rule.id}.`,
    runbook: 'Extend `expires` in the rule file if the exception is still needed; otherwise remove it with the tests that expect it to suppress.',
    eventName: kind === 'lapsed' ? 'ExceptionLapsed' : 'ExceptionExpiring',
    at,
    details: [['rule', rule.id], ['exception', exception.reason], ['expires', exception.expiry.date], ['where', where]],
    key: notice.key,
  })
  return alert
}
