/**
 * Credential shapes that must never reach Slack or a log, whatever field carries them. Each is replaced by a
 * label naming what it looked like, so the reader knows something was there.
 */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/g, 'AWS key id'],
  [/\bxox[abposr]-[0-9A-Za-z-]{10,}/g, 'Slack token'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, 'GitHub token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, 'private key'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, 'JWT'],
  // 40 base64 characters next to a secret-ish word: an AWS secret access key.
  [/(?<=(?:secret|SECRET|Secret)[^\n]{0,30}?)[A-Za-z0-9/+=]{40}\b/g, 'secret key'],
]

/**
 * The lookbehind pattern tries its lookbehind at every position of every string; it was the largest single
 * cost of `trailwarden replay` rendering 29,000 alerts (npm run bench, P7). The word it looks behind for is
 * necessary, so a plain search for it decides first whether the pattern can match at all.
 */
const NEEDS_SECRET_WORD = /secret|SECRET|Secret/

export function redactSecrets(text: string): string {
  let out = text
  for (const [pattern, label] of SECRET_PATTERNS) {
    if (label === 'secret key' && !NEEDS_SECRET_WORD.test(out)) continue
    out = out.replace(pattern, `‹redacted ${label}›`)
  }
  return out
}

/** Whether an environment variable's name says it holds a secret. */
export const SECRET_NAME = /password|passwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential/i
