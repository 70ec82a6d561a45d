import { describe, expect, it } from 'vitest'
import { runCli } from '../support/captureIO.js'

describe('trailwarden validate', () => {
  it('lists every problem of every broken file and of the config, located, in one run', async () => {
    const { code, stdout } = await runCli(['validate', '--rules', 'test/fixtures/broken-rules', '--config', 'test/fixtures/broken-config.yaml'])
    expect(code).toBe(1)
    expect(stdout.trimEnd().split('\n')).toEqual([
      'test/fixtures/broken-config.yaml:3:16 -: accounts[0] must be a string, not 111122223333 — quote it: "111122223333"',
      'test/fixtures/broken-config.yaml:4:5 -: unknown key \'cluster\' — did you mean \'clusters\'? — allowed here: accounts, clusters, regions',
      'test/fixtures/broken-config.yaml:6:3 -: a list name is snake_case, e.g. trusted_registries',
      'test/fixtures/broken-config.yaml:8:3 -: unknown key \'defaultChanel\' — did you mean \'defaultChannel\'? — allowed here: defaultChannel, fallbackChannel, routes, stormThreshold, perChannelPerSecond, actions',
      'test/fixtures/broken-rules/bad-severity.yaml:3:11 bad-severity: severity must be one of info, low, medium, high, critical, not \'urgent\'',
      'test/fixtures/broken-rules/bad-syntax.yaml:3:1 bad-syntax: YAML: Flow sequence in block collection must be sufficiently indented and end with a ] — fix the YAML syntax',
      'test/fixtures/broken-rules/bare-value.yaml:6:14 bare-value: the value of \'eventName\' must be a list (EventBridge patterns put values in arrays) — write eventName: ["RunTask"]',
      'test/fixtures/broken-rules/duplicate-yaml-key.yaml:5:1 duplicate-yaml-key: YAML: Map keys must be unique — remove one of the two keys',
      'test/fixtures/broken-rules/id-mismatch.yaml:1:5 id-mismatched: id \'id-mismatched\' differs from the file name \'id-mismatch.yaml\' — rename the file or set id: id-mismatch',
      'test/fixtures/broken-rules/invalid-regex.yaml:6:49 invalid-regex: regex "(a+)\\\\1" is invalid: error parsing regexp: invalid escape sequence: `\\1` — use RE2 syntax (no backreferences or lookaround)',
      'test/fixtures/broken-rules/missing-test-file.yaml:8:12 missing-test-file: test event file \'fixtures/nope.json\' does not exist — paths are relative to the rule file',
      'test/fixtures/broken-rules/sub-b/dup.yaml:1:5 dup: duplicate id \'dup\' (also in test/fixtures/broken-rules/sub-a/dup.yaml) — ids must be unique: rename one rule and its file',
      'test/fixtures/broken-rules/undefined-list.yaml:6:15 undefined-list: list \'pipline_roles\' is not defined — declare it in the rule pack\'s lists file (lists.yaml) or under lists: in the config (TRAILWARDEN_CONFIG), or fix the name',
      'test/fixtures/broken-rules/unknown-field.yaml:7:3 unknown-field: unknown field \'acter\' — did you mean \'actor\'? — use a CloudTrail record field, an envelope field, or a context field listed in rules/README.md',
      'test/fixtures/broken-rules/unknown-field.yaml:8:17 unknown-field: unknown field \'actor.consol\' — did you mean \'actor.console\'? — actor has: type, arn, account, name, role, session, sourceIdentity, console, mfa, service, via',
      'test/fixtures/broken-rules/unknown-key.yaml:1:1 unknown-key: \'severity\' is required — add severity: …',
      'test/fixtures/broken-rules/unknown-key.yaml:3:1 unknown-key: unknown key \'severty\' — did you mean \'severity\'? — allowed here: id, title, severity, description, runbook, tags, mode, references, falsePositives, match, unless, escalate, dedup, notify, tests',
      'test/fixtures/broken-rules/unknown-operator.yaml:7:17 unknown-operator: unknown operator \'prefx\' — did you mean \'prefix\'? — operators: prefix, suffix, equals-ignore-case, wildcard, anything-but, exists, numeric, cidr, regex, list',
      'test/fixtures/broken-rules/unknown-tag.yaml:2:8 unknown-tag: YAML: Unresolved tag: tag:yaml.org,2002:js/function — remove the tag',
      'test/fixtures/broken-rules/wrong-type.yaml:5:7 wrong-type: tags must be a list, not \'change-management\' — write tags: [change-management]',
      '15 rule files, 0 valid rules: 20 errors, 0 warnings',
    ])
  })

  it('passes the bundled rules with the example config', async () => {
    const { code, stdout } = await runCli(['validate', '--config', 'trailwarden.example.yaml'])
    expect(stdout).toMatch(/^\d+ rule files, 1 lists file, \d+ valid rules: 0 errors, \d+ warnings? \(rule set [0-9a-f]{16}\)\n$/m)
    expect(code).toBe(0)
  })

  it('reads --rules and --config from TRAILWARDEN_RULES and TRAILWARDEN_CONFIG', async () => {
    const { code } = await runCli(['validate'], { TRAILWARDEN_RULES: 'test/fixtures/broken-rules', TRAILWARDEN_CONFIG: 'trailwarden.example.yaml' })
    expect(code).toBe(1)
  })

  it('says so when the rules folder or the config cannot be read', async () => {
    const { code, stdout } = await runCli(['validate', '--rules', 'no/such/dir', '--config', 'no/such.yaml'])
    expect(code).toBe(1)
    expect(stdout).toContain('no/such.yaml:1:1 -: cannot read the config')
    expect(stdout).toContain('no/such/dir:1:1 -: cannot read the rules folder')
  })
})

describe('trailwarden validate: cross-references and expiry', () => {
  it('flags a route that names a rule that does not exist', async () => {
    const { code, stdout } = await runCli(['validate', '--rules', 'test/fixtures/rules-failing-tests', '--config', 'test/fixtures/config-unknown-route-rule.yaml'])
    expect(code).toBe(1)
    expect(stdout).toContain(
      'test/fixtures/config-unknown-route-rule.yaml:4:23 -: route names rule \'only-matc\', which does not exist — did you mean \'only-match\'? — fix the id or remove it',
    )
  })
})
