import { readFileSync, writeFileSync } from 'node:fs'
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { fixtureText } from '../support/fixtures.js'

/** No digests and no per-channel pacing: the kill tests count individual alerts, quickly. */
export function unpaced(configPath: string): void {
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('  perChannelPerSecond: 200\n', '  perChannelPerSecond: 1000\n  stormThreshold: 1000000\n'))
}

/**
 * `events` messages, one in ten a real ExecuteCommand that alerts (eventID `${prefix}-n`), the rest a read-only call no
 * rule matches (`quiet-n`), sent in batches of ten.
 */
export async function sendLoad(client: SQSClient, queueUrl: string, events: number, prefix: string): Promise<void> {
  const exec = JSON.parse(fixtureText('rules/ecs/fixtures/BUILT__ecs__ExecuteCommand__AssumedRole_sso_cli_prod.json')) as Record<string, unknown>
  const quiet = JSON.parse(fixtureText('rules/ecs/fixtures/ecs__DescribeClusters__AssumedRole_readOnly__logicmonitor.json')) as Record<string, unknown>
  for (let start = 0; start < events; start += 10) {
    const entries = Array.from({ length: 10 }, (_, i) => {
      const n = start + i
      const body = n % 10 === 0 ? { ...exec, eventID: `${prefix}-${n}` } : { ...quiet, eventID: `quiet-${n}` }
      return { Id: String(i), MessageBody: JSON.stringify(body) }
    })
    await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
  }
}
