import { WebClient } from '@slack/web-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Silence } from '../../../../src/core/silences/silence.js'
import { AlertRecords } from '../../../../src/sinks/slack/socket/alertRecords.js'
import { announceEndedSilences } from '../../../../src/sinks/slack/socket/silenceEndings.js'
import { MemoryStateStore } from '../../../../src/state/memoryStateStore.js'
import { alertFor } from '../../../support/alerts.js'
import { type SlackDouble, startSlackDouble } from '../../../support/slackDouble.js'

const NOW = Date.parse('2026-12-02T11:00:00Z')
const quiet = { info: () => undefined, warn: () => undefined }
let slack: SlackDouble
let client: WebClient
beforeAll(async () => {
  slack = await startSlackDouble()
  client = new WebClient('xoxb-test-token', { slackApiUrl: slack.url, retryConfig: { retries: 0 }, timeout: 2_000 })
})
afterAll(() => slack.close())
beforeEach(() => { slack.reset() })

async function posted(records: AlertRecords): Promise<{ silence: Silence }> {
  const alert = await alertFor('rules/ecs/fixtures/BUILT__ecs__UpdateService__AssumedRole_sso_console_prod.json', 'ecs-console-change-in-prod')
  const ref = await records.remember(alert, undefined, NOW - 5 * 3_600_000)
  const res = await client.chat.postMessage({ channel: '#prod-changes', text: 'alert', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'the alert' } }] })
  await records.update(ref, NOW - 4 * 3_600_000, (r) => { r.blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'the alert' } }] })
  return {
    silence: {
      id: '00112233445566ff', ruleId: 'ecs-console-change-in-prod', scope: { kind: 'cluster', cluster: 'prod-web' }, reason: 'rollout', author: 'U0ALICE',
      createdAt: NOW - 4 * 3_600_000, expiresAt: NOW - 1_000, message: { channel: res.channel!, ts: res.ts!, ref },
    },
  }
}

describe('the end of a silence is announced once across replicas', () => {
  it('two replicas checking at once post one notice in the alert\'s thread, and update the message', async () => {
    const store = new MemoryStateStore()
    const records = new AlertRecords(store)
    const { silence } = await posted(records)
    const counts = await Promise.all(['replica-a', 'replica-b'].map((owner) => announceEndedSilences([silence], { client, store, records, owner, log: quiet, now: NOW })))
    expect(counts.sort()).toEqual([0, 1])
    const notices = slack.messages.filter((m) => m.threadTs === silence.message?.ts)
    expect(notices).toHaveLength(1)
    expect(notices[0]!.text).toContain('has ended: its alerts are posted again')
    expect(JSON.stringify(slack.messages.find((m) => m.ts === silence.message?.ts)?.blocks)).toContain('Silence ended')
    // Later checks stay quiet.
    expect(await announceEndedSilences([silence], { client, store, records, owner: 'replica-a', log: quiet, now: NOW + 60_000 })).toBe(0)
  })

  it('a failed post is tried again on the next check; an undone or still active silence is not announced', async () => {
    const store = new MemoryStateStore()
    const records = new AlertRecords(store)
    const { silence } = await posted(records)
    slack.script('chat.postMessage', { kind: 'http', status: 503 })
    expect(await announceEndedSilences([silence], { client, store, records, owner: 'replica-a', log: quiet, now: NOW })).toBe(0)
    expect(await announceEndedSilences([silence], { client, store, records, owner: 'replica-b', log: quiet, now: NOW + 1 })).toBe(1)
    const undone = { ...silence, id: 'aa112233445566ff', undone: { by: 'U0BOB', at: NOW - 60_000 } }
    const running = { ...silence, id: 'bb112233445566ff', expiresAt: NOW + 60_000 }
    expect(await announceEndedSilences([undone, running], { client, store, records, owner: 'replica-a', log: quiet, now: NOW })).toBe(0)
  })
})
