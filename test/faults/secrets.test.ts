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
    expect(slack.messages.length).toBeGreaterThan(5)
    expect(everything).toContain('DB_PASSWORD')
    for (const secret of SECRETS) expect(everything.split(secret).length - 1, secret).toBe(0)
  })
})
