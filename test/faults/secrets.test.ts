import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { counterValue, startHarness, until } from '../support/daemonHarness.js'
import { fixtureText } from '../support/fixtures.js'
import { type SlackDouble, startSlackDouble } from '../support/slackDouble.js'
import { useSqsEmulator } from '../support/sqsEmulator.js'

const TOKEN = 'xoxb-424242424242-1337133713371-SeCrEtToKeNvAlUe'
const SECRETS = [TOKEN, 'hunter2-prod-db', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'AKIAIOSFODNN7EXAMPLE']

const sqs = useSqsEmulator()
let slack: SlackDouble
beforeAll(async () => {
  slack = await startSlackDouble({ validToken: TOKEN })
})
afterAll(() => slack.close())

describe('secrets never leave in a log line or a payload', () => {
  it('a known Slack token and task definitions holding secrets: zero occurrences anywhere', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('secrets')
    const h = await startHarness(sqs(), slack, queueUrl, { slackToken: TOKEN })
    const taskDef = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json')) as { requestParameters: { containerDefinitions: Array<{ environment: Array<{ name: string, value: string }>, command: string[] }> } }
    taskDef.requestParameters.containerDefinitions[0]!.environment.push({ name: 'GITHUB_TOKEN', value: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }, { name: 'SLACK', value: TOKEN })
    taskDef.requestParameters.containerDefinitions[0]!.command.push(`echo ${TOKEN} AKIAIOSFODNN7EXAMPLE`)
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(taskDef) }))
    await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `${TOKEN} {"not json` }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === 1 && (await counterValue(h.metrics, 'trailwarden_messages_unreadable_total')) >= 1, 10_000, 'both messages')
    await h.daemon.stop(1_000)
    const everything = [
      ...h.logs().map((l) => JSON.stringify(l)),
      ...slack.calls.map((c) => JSON.stringify(c.args)),
      await h.metrics.registry.metrics(),
    ].join('\n')
    // One message for the task definition's several findings (one message per API call per channel), each rendered.
    expect(slack.messages).toHaveLength(1)
    expect(JSON.stringify(slack.messages[0]?.blocks)).toMatch(/\(\+\d+ more\)/)
    expect(everything).toContain('DB_PASSWORD')
    for (const secret of SECRETS) expect(everything.split(secret).length - 1, secret).toBe(0)
  })

  it('the credential shapes that reached Slack whole (issue 16): hidden in commands, entry points and error messages', async () => {
    const { queueUrl } = await sqs().createQueueWithDlq('secrets-shapes')
    const h = await startHarness(sqs(), slack, queueUrl, { slackToken: TOKEN })
    // Made-up values of the real shapes, built from parts so no whole credential-shaped literal sits in the repository.
    const shapes = {
      flag: 'hunter2-flag-pw',
      mysql: 'MyS3cretPw77',
      url: 'pg-pass-9f8e7d',
      pgpassword: 'pgpw-7d6c5b4a',
      awsSecret: ['q8Rz3mVb7Kx1', 'Lp0Ns+Tw4Yc9Hd2Fg6Je5Ua0Bo1'].join('/'),
      githubPat: ['github', 'pat', '11ABCDEFG0123456789', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'].join('_'),
      glpat: ['glpat', 'xYz123AbC456dEf789gHi0'].join('-'),
      xapp: ['xapp', '1', 'A0123ABCDEF', '1234567890123', '0123456789abcdef0123456789abcdef'].join('-'),
      xoxe: ['xoxe', '1', 'My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MDEyMy1hYmNk'].join('-'),
      webhook: ['https://hooks.slack.com/services', 'T0123ABCD', 'B0456EFGH', 'aBcDeFgHiJkLmNoPqRsTuVwX'].join('/'),
      stripe: ['sk', 'live', '51Hx0123456789abcdefghijklmnop'].join('_'),
      google: ['AIza', 'SyA-0123456789abcdefghijklmnopqrstu'].join(''),
    }
    const exec = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as { eventID: string, requestParameters: { command: string } }
    const commands = [
      `psql --password ${shapes.flag} && mysql -h db -u root -p${shapes.mysql} app`,
      `psql postgres://app:${shapes.url}@db.internal:5432/prod; export PGPASSWORD=${shapes.pgpassword}`,
      `aws configure set aws_access_key ${shapes.awsSecret}; git clone https://x:${shapes.githubPat}@github.com/o/r`,
      `GITLAB=${shapes.glpat} SLACK_APP=${shapes.xapp} SLACK_REFRESH=${shapes.xoxe}`,
      `curl -X POST ${shapes.webhook} -d ok; STRIPE=${shapes.stripe} MAPS=${shapes.google}`,
    ]
    const bodies = commands.map((command, i) => JSON.stringify({ ...exec, eventID: `${exec.eventID.slice(0, -1)}${i}`, requestParameters: { ...exec.requestParameters, command } }))
    const taskDef = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__RegisterTaskDefinition__AssumedRole_sso_cli_privileged_hostMount_envSecret.json')) as { eventID: string, requestParameters: { containerDefinitions: Array<{ command: string[], entryPoint?: string[] }> } }
    taskDef.requestParameters.containerDefinitions[0]!.command = ['sh', '-c', `mysql -p${shapes.mysql} -e 'select 1'`]
    taskDef.requestParameters.containerDefinitions[0]!.entryPoint = [`/entry --password=${shapes.flag}`]
    bodies.push(JSON.stringify(taskDef))
    const denied = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__RunTask__AccessDenied_IAMUser_cli.json')) as { errorMessage: string }
    denied.errorMessage = `Invalid override: PGPASSWORD=${shapes.pgpassword} ${shapes.webhook} ${shapes.awsSecret}`
    bodies.push(JSON.stringify(denied))
    for (const body of bodies) await sqs().client().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))
    await until(async () => (await counterValue(h.metrics, 'trailwarden_messages_acknowledged_total')) === bodies.length, 15_000, 'every message acknowledged')
    await h.daemon.stop(1_000)
    const payloads = slack.calls.map((c) => JSON.stringify(c.args)).join('\n')
    const everything = [...h.logs().map((l) => JSON.stringify(l)), payloads, await h.metrics.registry.metrics()].join('\n')
    // The fields were rendered (the labels show where each credential was), and no credential is anywhere.
    for (const label of ['--password ‹redacted›', '-p‹redacted password›', 'postgres://app:‹redacted›@db.internal', 'PGPASSWORD=‹redacted›', '‹redacted secret key›', '‹redacted GitHub token›', '‹redacted GitLab token›', '‹redacted Slack token›', '‹redacted Slack webhook›', '‹redacted Stripe key›', '‹redacted Google API key›']) {
      expect(payloads, label).toContain(label)
    }
    for (const [shape, secret] of Object.entries(shapes)) expect(everything.split(secret).length - 1, shape).toBe(0)
  })
})
