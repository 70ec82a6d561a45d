/**
 * Credential shapes that must never reach Slack or a log, whatever field carries them. Each is replaced by a
 * label naming what it looked like, so the reader knows something was there.
 */
const SECRET_PATTERNS: ReadonlyArray<{ pattern: RegExp, label: string, needs?: RegExp }> = [
  { pattern: /\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/g, label: 'AWS key id' },
  { pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}/g, label: 'Slack token' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g, label: 'GitHub token' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, label: 'private key' },
  { pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, label: 'JWT' },
  // 40 base64 characters next to a secret-ish word: an AWS secret access key. The lookbehind is tried at every
  // position of every string, which was the largest single cost of `trailwarden replay` rendering 29,000 alerts
  // (npm run bench, P7); the word it looks behind for is necessary, so a plain search for it (`needs`) goes first.
  {
    pattern: /(?<=(?:secret|SECRET|Secret)[^\n]{0,30}?)[A-Za-z0-9/+=]{40}\b/g,
    label: 'secret key',
    needs: /secret|SECRET|Secret/,
  },
]

export function redactSecrets(text: string): string {
  let out = text
  for (const { pattern, label, needs } of SECRET_PATTERNS) {
    if (needs && !needs.test(out)) continue
    out = out.replace(pattern, `‹redacted ${label}›`)
  }
  return out
}

/** Whether an environment variable's name says it holds a secret. */
export const SECRET_NAME = /password|passwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential/i
