import { type CompiledRule, type DatedException, isDated } from './compileRule.js'
import { EXPIRY_WARNING_DAYS } from './compileRuleSet.js'

const DAY_MS = 86_400_000

export interface ExceptionNotice {
  rule: CompiledRule
  exception: DatedException
  /** expiring: it applies for at most EXPIRY_WARNING_DAYS more days; lapsed: it no longer applies. */
  kind: 'expiring' | 'lapsed'
  /** The UTC day (YYYY-MM-DD) the notice is for: one notice per exception per day. */
  day: string
  /** Whole days left it applies, counting today (expiring only; 1 on its last day). */
  daysLeft?: number
  /**
   * Identity of the notice: one "expiring" and one "lapsed" notice per exception (its rule, reason and date), whatever
   * days and reloads pass — a reminder every day of the last fortnight would train people to ignore it.
   */
  key: string
}

/**
 * The exceptions that are due a notice at `now` (ms): within EXPIRY_WARNING_DAYS days before an exception expires
 * ("expiring"), and once it has lapsed ("lapsed"). The caller posts each key once per process: there is no shared
 * state to remember it across restarts, so a restart may say it once more (issue 19). Pure: the time comes in.
 */
export function dueExceptionNotices(rules: readonly CompiledRule[], now: number): ExceptionNotice[] {
  if (!Number.isFinite(now)) return []
  const day = new Date(now).toISOString().slice(0, 10)
  const due: ExceptionNotice[] = []
  for (const rule of rules) {
    for (const exception of rule.exceptions) {
      if (!isDated(exception) || !Number.isFinite(exception.expiry.endsAt)) continue
      const expiresAt = exception.expiry.endsAt
      const kind = now >= expiresAt ? 'lapsed' : expiresAt - now <= EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : undefined
      if (!kind) continue
      // The reason and date name the exception (its index moves when one above it is removed).
      const notice: ExceptionNotice = { rule, exception, kind, day, key: [rule.id, exception.reason, exception.expiry.date, kind].join('|') }
      if (kind === 'expiring') notice.daysLeft = Math.ceil((expiresAt - now) / DAY_MS)
      due.push(notice)
    }
  }
  return due
}
