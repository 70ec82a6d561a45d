import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadRuleBundle } from '../../src/config/loadRules.js'
import { formatProblem } from '../../src/core/rules/language/yamlSource.js'
import { runRuleTests } from '../../src/core/rules/ruleTests/runRuleTests.js'
import { normalise } from '../../src/core/intake/normalise.js'
import { evaluate } from '../../src/core/rules/engine/evaluate.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const RULE = `id: pipeline-run
title: a role listed in pipeline_roles ran a task
severity: low
description: test rule
match:
  eventSource: [ecs.amazonaws.com]
  actor.role: [{ list: pipeline_roles }]
`

/** A rules folder with one rule on pipeline_roles, a lists file, and optionally a config. */
function setup(files: Record<string, string>, config?: string): { rulesDir: string, configPath?: string } {
  const root = mkdtempSync(join(tmpdir(), 'tw-lists-'))
  dirs.push(root)
  const rulesDir = join(root, 'rules')
  mkdirSync(rulesDir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(rulesDir, name), text)
  if (config === undefined) return { rulesDir }
  writeFileSync(join(root, 'trailwarden.yaml'), config)
  return { rulesDir, configPath: join(root, 'trailwarden.yaml') }
}

const event = (role: string) =>
  normalise({
    shape: 'record',
    record: {
      eventSource: 'ecs.amazonaws.com', eventName: 'RunTask', eventID: 'e1', awsRegion: 'eu-west-1', recipientAccountId: '111122223333',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::111122223333:assumed-role/${role}/s`, accountId: '111122223333', sessionContext: { sessionIssuer: { type: 'Role', userName: role } } },
    },
  } as never)

async function rolesMatched(files: Record<string, string>, config?: string): Promise<string[]> {
  const bundle = await loadRuleBundle(setup(files, config))
  expect(bundle.problems.map(formatProblem)).toEqual([])
  return ['deploy', 'cfn-exec', 'alice'].filter((role) => evaluate(bundle.ruleSet!, event(role), 0).matched.some((m) => m.rule.id === 'pipeline-run'))
}

const PACK = 'lists:\n  pipeline_roles: [deploy]\n'

describe('rule pack lists and trailwarden.yaml lists', () => {
  it('pack default only: the lists file supplies the list, and the file is not a rule', async () => {
    const bundle = await loadRuleBundle(setup({ 'pipeline-run.yaml': RULE, 'lists.yaml': PACK }))
    expect(bundle.ruleSet?.rules.map((r) => r.id)).toEqual(['pipeline-run'])
    expect(await rolesMatched({ 'pipeline-run.yaml': RULE, 'lists.yaml': PACK })).toEqual(['deploy'])
  })

  it('a config list replaces the pack list', async () => {
    expect(await rolesMatched({ 'pipeline-run.yaml': RULE, 'lists.yaml': PACK }, 'lists:\n  pipeline_roles: [cfn-exec]\n')).toEqual(['cfn-exec'])
  })

  it('a config list with append: adds to the pack list', async () => {
    expect(await rolesMatched({ 'pipeline-run.yaml': RULE, 'lists.yaml': PACK }, 'lists:\n  pipeline_roles: { append: [cfn-exec] }\n')).toEqual(['deploy', 'cfn-exec'])
  })

  it('a config list the pack does not declare still works (plain and append)', async () => {
    expect(await rolesMatched({ 'pipeline-run.yaml': RULE }, 'lists:\n  pipeline_roles: [alice]\n')).toEqual(['alice'])
    expect(await rolesMatched({ 'pipeline-run.yaml': RULE }, 'lists:\n  pipeline_roles: { append: [alice] }\n')).toEqual(['alice'])
  })

  it('an empty list is allowed in the pack and in the config, and matches nothing', async () => {
    expect(await rolesMatched({ 'pipeline-run.yaml': RULE, 'lists.yaml': 'lists:\n  pipeline_roles: []\n' })).toEqual([])
    expect(await rolesMatched({ 'pipeline-run.yaml': RULE, 'lists.yaml': PACK }, 'lists:\n  pipeline_roles: []\n')).toEqual([])
  })

  it('a rule referencing a list defined nowhere is a located error', async () => {
    const loc = setup({ 'pipeline-run.yaml': RULE, 'lists.yaml': 'lists:\n  pipline_roles: [deploy]\n' })
    const bundle = await loadRuleBundle(loc)
    expect(bundle.ruleSet).toBeUndefined()
    expect(bundle.problems.map(formatProblem)).toEqual([
      `${join(loc.rulesDir, 'pipeline-run.yaml').replace(process.cwd() + '/', '')}:7:15 pipeline-run: list 'pipeline_roles' is not defined — did you mean 'pipline_roles'? — declare it in the rule pack's lists file (lists.yaml) or under lists: in the config (TRAILWARDEN_CONFIG), or fix the name`,
    ])
  })

  it('a lists file is checked like a rule file: unknown keys, bad names and values, a list declared twice', async () => {
    const bundle = await loadRuleBundle(setup({
      'pipeline-run.yaml': RULE,
      'a-lists.yaml': 'lists:\n  pipeline_roles: [deploy]\n  Bad-Name: [x]\n  nested: [{ a: 1 }]\ntitle: oops\n',
    }))
    expect(bundle.ruleSet).toBeUndefined()
    const messages = bundle.problems.map((p) => `${p.file.split('/').pop()!}:${p.line} ${p.message}`)
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^a-lists\.yaml:5 unknown key 'title'/),
      expect.stringMatching(/^a-lists\.yaml:3 a list name is snake_case/),
      expect.stringMatching(/^a-lists\.yaml:4 /),
    ]))
    const twice = await loadRuleBundle(setup({ 'pipeline-run.yaml': RULE, 'a-lists.yaml': PACK, 'b-lists.yaml': 'lists:\n  pipeline_roles: [other]\n' }))
    expect(twice.ruleSet).toBeUndefined()
    expect(twice.problems.map((p) => `${p.file.split('/').pop()!}:${p.line}:${p.col} ${p.message}`)).toEqual([
      expect.stringMatching(/^b-lists\.yaml:2:3 list 'pipeline_roles' is already declared in .*a-lists\.yaml$/),
    ])
  })

  it('a test case pins its env and its own lists; the other cases keep the rule set\'s lists', async () => {
    const rule = `${RULE}  env: [prod]
unless:
  - reason: break glass
    match: { actor.session: [{ list: break_glass_roles }] }
tests:
  - name: a listed role in prod
    event: { eventSource: ecs.amazonaws.com, eventName: RunTask, eventTime: "2026-11-01T12:00:00Z", awsRegion: eu-west-1, eventID: e1, userIdentity: { type: AssumedRole, arn: "arn:aws:sts::111122223333:assumed-role/deploy/bob" } }
    env: prod
    expect: match
  - name: not in prod
    event: { eventSource: ecs.amazonaws.com, eventName: RunTask, eventTime: "2026-11-01T12:00:00Z", awsRegion: eu-west-1, eventID: e2, userIdentity: { type: AssumedRole, arn: "arn:aws:sts::111122223333:assumed-role/deploy/bob" } }
    expect: no-match
  - name: the case's own lists replace and append
    event: { eventSource: ecs.amazonaws.com, eventName: RunTask, eventTime: "2026-11-01T12:00:00Z", awsRegion: eu-west-1, eventID: e3, userIdentity: { type: AssumedRole, arn: "arn:aws:sts::111122223333:assumed-role/ops/bob" } }
    env: prod
    lists: { pipeline_roles: { append: [ops] }, break_glass_roles: [bob] }
    expect: suppressed
`
    const bundle = await loadRuleBundle(setup({ 'pipeline-run.yaml': rule, 'lists.yaml': PACK + '  break_glass_roles: []\n' }))
    expect(bundle.problems.map(formatProblem)).toEqual([])
    const report = runRuleTests(bundle.ruleSet!, { eventFiles: bundle.eventFiles, settings: bundle.settings, now: 0 })
    expect(report.cases.map((c) => [c.name, c.passed, c.reason])).toEqual([
      ['a listed role in prod', true, undefined],
      ['not in prod', true, undefined],
      ['the case\'s own lists replace and append', true, undefined],
    ])
    expect(report.failed).toBe(0)
  })
})
