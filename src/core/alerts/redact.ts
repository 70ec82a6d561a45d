/**
 * Credentials must never reach Slack or a log, whatever field carries them. Each is replaced by a label naming what it
 * looked like, so the reader knows something was there.
 *
 * Three kinds of evidence, cheapest first:
 * - Token shapes with a vendor prefix. The shapes follow the rule sets of gitleaks (config/gitleaks.toml, MIT) and
 *   secretlint's @secretlint/secretlint-rule-preset-recommend 13.0 (MIT), cross-checked with each vendor's documented
 *   format; they are re-stated here, not imported: secretlint lints whole files asynchronously, needs Node 22 and
 *   exports no patterns, and gitleaks is a Go program whose TOML uses RE2 syntax. Like gitleaks' `keywords`, each shape
 *   names the literals one of which must occur, and one case-insensitive search for all of them decides whether any
 *   pattern runs at all: nearly every field of nearly every event has none.
 * - Context: a value after a key or flag whose name ends in a secret-ish word (PGPASSWORD=…, --password x,
 *   "api_key": "…", Authorization: Bearer …), a password in a URL (scheme://user:‹redacted›@host), `mysql -p<pw>`.
 * - An AWS secret access key with no context: a run of exactly 40 base64 characters (bounded by non-base64 ones)
 *   mixing upper case, lower case and a digit or + or /, with Shannon entropy of at least 4 bits per character, or any
 *   40-character run within 40 characters after the word "secret". Hex hashes (git SHAs, sha1) have one case and never
 *   qualify; UUIDs, ARNs, image references and names break into shorter runs at - _ : . @; of 1,000,000 random keys
 *   the lowest entropy was 4.02. A camelCase identifier of exactly 40 letters and a digit would be hidden: accepted.
 */
import { onlyElement } from '../json.js'

interface SecretShape {
  label: string
  pattern: RegExp
  /** Lower-case literals, one of which occurs in every match (a fast search before the pattern runs). */
  keywords: readonly string[]
}

const SHAPES: readonly SecretShape[] = [
  { label: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY( BLOCK)?-----|$)/g, keywords: ['private key'] },
  // Access key ids: long-term AKIA, temporary ASIA, ABIA/ACCA, and the old A3T prefix. AIDA/AROA are the unique ids
  // of users and roles (principalId), not credentials: they stay visible.
  { label: 'AWS key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'] },
  // STS session tokens are base64 of a protobuf whose first bytes do not vary.
  { label: 'AWS session token', pattern: /\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdz)[A-Za-z0-9/+=]{20,}/g, keywords: ['iqojb3jpz2lu', 'fwogzxivyxdz'] },
  { label: 'Slack webhook', pattern: /\bhttps?:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g, keywords: ['hooks.slack'] },
  // xoxb/xoxp/xoxa/xoxo/xoxr/xoxs, rotating xoxe- refresh tokens and xoxe.xoxb- access tokens, app-level xapp-.
  { label: 'Slack token', pattern: /\b(?:xox(?:e\.xox)?[abeoprs]|xapp)-[0-9A-Za-z-]{10,}/g, keywords: ['xox', 'xapp-'] },
  { label: 'GitHub token', pattern: /\b(?:gh[opsur]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, keywords: ['ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_', 'github_pat_'] },
  {
    label: 'GitLab token',
    pattern: /\bgl(?:pat|dt|ptt|rt|ft|imt|soat|cbt|oas|agent)-[A-Za-z0-9_-]{20,}/g,
    keywords: ['glpat-', 'gldt-', 'glptt-', 'glrt-', 'glft-', 'glimt-', 'glsoat-', 'glcbt-', 'gloas-', 'glagent-'],
  },
  { label: 'Stripe key', pattern: /\b(?:[rs]k_(?:live|test|prod)|whsec)_[A-Za-z0-9]{10,}/g, keywords: ['k_live_', 'k_test_', 'k_prod_', 'whsec_'] },
  { label: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g, keywords: ['aiza'] },
  { label: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, keywords: ['npm_'] },
  { label: 'API key', pattern: /\bsk-(?:(?:ant-(?:api|admin)\d\d|proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})/g, keywords: ['sk-ant-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'] },
  { label: 'SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, keywords: ['sg.'] },
  { label: 'Vault token', pattern: /\bhv[sbr]\.[A-Za-z0-9_-]{24,}/g, keywords: ['hvs.', 'hvb.', 'hvr.'] },
  { label: 'Docker token', pattern: /\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}/g, keywords: ['dckr_'] },
  { label: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}/g, keywords: ['hf_'] },
  { label: 'Shopify token', pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/g, keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'] },
  { label: 'Grafana token', pattern: /\bgl(?:c|sa)_[A-Za-z0-9_=+/-]{32,}/g, keywords: ['glc_', 'glsa_'] },
  { label: 'Azure secret', pattern: /(?<![A-Za-z0-9_~.])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/g, keywords: ['q~'] },
  { label: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, keywords: ['eyj'] },
]

/** Names whose value is a secret when a key or flag ends with them: DB_PASSWORD, apiKey, --client-secret, X-Auth-Token. */
const SECRET_WORD = String.raw`(?:password|passwd|passphrase|pass|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|secret[_.-]?key|private[_.-]?key|account[_.-]?key|credentials?|auth)`
/**
 * The value after a key: in quotes (a JSON string, possibly inside JSON, hence the optional backslash), or up to a
 * space, quote, & ; or , — never a value already redacted, a $VARIABLE reference (not a secret) or an empty one.
 */
const VALUE = String.raw`(?:(\\?["'])(?!‹|\$)[^"'\\\n]+|(?!‹|\$)[^\s"'&;,<>]+)`

const CONTEXT_WORDS = ['pass', 'pwd', 'secret', 'token', 'key', 'credential', 'auth']

const CONTEXT: ReadonlyArray<{ pattern: RegExp, replacement: string, keywords: readonly string[] }> = [
  // Authorization: Bearer x / Basic x (curl -H, HTTP dumps), and a bare "Bearer x".
  {
    pattern: /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest|negotiate)\s+)?|bearer\s+)(?!‹)[A-Za-z0-9._~+/=-]{6,}/gi,
    replacement: '$1‹redacted credential›',
    keywords: ['authorization', 'bearer'],
  },
  // KEY=value, KEY: value, "key": "value". The key starts after a space, quote, brace, & or ? (not after : or /, so
  // the "secret" of arn:aws:secretsmanager:…:secret:name and a /path/to/password stay visible) and ends in a secret word.
  {
    pattern: new RegExp(String.raw`(?<![\w.:/-])([\w.-]*${SECRET_WORD}["']?\s*[:=]\s*)${VALUE}`, 'gi'),
    replacement: '$1$2‹redacted›',
    keywords: CONTEXT_WORDS,
  },
  // ECS's name/value pairs (container environment, overrides) as JSON: {"name":"DB_PASSWORD","value":"…"}.
  {
    pattern: new RegExp(String.raw`("name"\s*:\s*"[\w.-]*${SECRET_WORD}"\s*,\s*"value"\s*:\s*)"(?!‹)[^"]*"`, 'gi'),
    replacement: '$1"‹redacted›"',
    keywords: CONTEXT_WORDS,
  },
  // --password x, --db-password=x, -token x: a flag's next word; also when an argv array was shown joined with
  // commas (--password, x). After a space the next word stays visible only when it is a long flag (--verbose): a
  // password may start with one dash (-Secret1), and hiding a short flag is the cheaper mistake.
  {
    pattern: new RegExp(String.raw`(?<![\w.-])(--?[\w.-]*${SECRET_WORD}(?:=|(?:\s*,\s*|\s+)(?!--)))${VALUE}`, 'gi'),
    replacement: '$1$2‹redacted›',
    keywords: CONTEXT_WORDS,
  },
  // scheme://user:password@host; the password may hold @ (the last @ of the authority ends it).
  { pattern: /\b([a-z][a-z0-9+.-]{1,30}:\/\/[^\s/?#@:]*:)(?!‹)[^\s/?#]+@/gi, replacement: '$1‹redacted›@', keywords: ['://'] },
  // curl -u user:password, --user user:password (only next to curl: docker's -u 1000:1000 is a user and group).
  { pattern: /(?<![\w.-])((?:-u|--user)(?:\s*,\s*|[\s=]+)[^\s:"',]+:)(?!‹)[^\s"',]+/g, replacement: '$1‹redacted›', keywords: ['curl'] },
  // redis-cli -a password, sshpass -p password: the tools' own password flags, only next to the tool's name.
  { pattern: /(\bredis-cli\b[^\n]*?(?<![\w.-])-a(?:\s*,\s*|\s+))(?![-‹])[^\s"',;&|]+/g, replacement: '$1‹redacted›', keywords: ['redis-cli'] },
  { pattern: /(\bsshpass\b[^\n]*?(?<![\w.-])-p(?:\s*,\s*|\s+)?)(?![-‹])[^\s"',;&|]+/g, replacement: '$1‹redacted›', keywords: ['sshpass'] },
]

/** mysql -pSECRET (no space: with one, -p prompts and the next word is the database). Only in a MySQL client's command. */
const MYSQL_CLIENT = /\b(?:mysql|mariadb)(?:dump|admin|import|check|show|pump|sh)?\b/i
const MYSQL_PASSWORD = /(?<=(?:^|\s)-p)(?:'[^'\n]*'|"[^"\n]*"|(?![\s‹-])[^\s"';&|,]+)/g

const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')

/**
 * One case-insensitive search for any of the literals, as a trie (p(?:ass|wd)|a(?:kia|sia|…)|…): V8 then tests one
 * character class per position instead of every literal, which measured 40% faster than a flat alternation.
 */
function anyOf(literals: readonly string[]): RegExp {
  interface Node { end: boolean, next: Map<string, Node> }
  const root: Node = { end: false, next: new Map() }
  for (const literal of literals) {
    let node = root
    for (const ch of literal) {
      let child = node.next.get(ch)
      if (!child) node.next.set(ch, (child = { end: false, next: new Map() }))
      node = child
    }
    node.end = true
  }
  // A node that ends a literal needs nothing after it: the shorter literal already decides.
  const emit = (node: Node): string => {
    if (node.end) return ''
    const alternatives = [...node.next].map(([ch, child]) => escape(ch) + emit(child))
    return onlyElement(alternatives) ?? `(?:${alternatives.join('|')})`
  }
  return new RegExp(emit(root), 'i')
}

const KEYWORDS = anyOf([...SHAPES.flatMap((s) => s.keywords), ...CONTEXT.flatMap((c) => c.keywords), 'mysql', 'mariadb'].map((k) => k.toLowerCase()))

/** A run of exactly 40 base64 characters, as an AWS secret access key is. */
// Not after + or / (inside a longer run) but after = (KEY=…); not before = (base64 padding of a longer blob).
const RUN_40 = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g
const MAY_HOLD_KEY = new RegExp(RUN_40.source)
const SECRET_BEFORE = /secret/i

function entropy(s: string): number {
  const counts = new Map<string, number>()
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1)
  let h = 0
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length)
  return h
}

const looksRandom = (run: string): boolean => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9+/]/.test(run) && entropy(run) >= 4

function redactKeys(text: string): string {
  return text.replace(RUN_40, (run, offset: number) => {
    const before = text.slice(Math.max(0, offset - 40), offset)
    return (SECRET_BEFORE.test(before) && !before.includes('\n')) || looksRandom(run) ? '‹redacted secret key›' : run
  })
}

/** The text with every credential it holds replaced by a label. Pure; most text costs one or two searches. */
export function redactSecrets(text: string): string {
  const mayHoldKey = text.length >= 40 && MAY_HOLD_KEY.test(text)
  if (!KEYWORDS.test(text)) return mayHoldKey ? redactKeys(text) : text
  let out = text
  let lower = out.toLowerCase()
  const has = (keywords: readonly string[]) => keywords.some((k) => lower.includes(k))
  for (const { pattern, label, keywords } of SHAPES) {
    if (!has(keywords)) continue
    out = out.replace(pattern, `‹redacted ${label}›`)
    lower = out.toLowerCase()
  }
  // Keys before the key=value rules, so AWS_SECRET_ACCESS_KEY=… says what it was.
  if (out.length >= 40) out = redactKeys(out)
  for (const { pattern, replacement, keywords } of CONTEXT) if (has(keywords)) out = out.replace(pattern, replacement)
  if (MYSQL_CLIENT.test(out)) out = out.replace(MYSQL_PASSWORD, '‹redacted password›')
  return out
}
