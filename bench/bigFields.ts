import { fork } from 'node:child_process'
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import type { EmbeddedSqs } from '../src/local/embeddedSqs.js'
import { startSlackDouble } from '../test/support/slackDouble.js'
import { bodies } from './pipeline.js'

const KB100 = 100_000

/**
 * 3,000 bodies whose fields are 100 KB each, every one distinct (issue 16: such a stream grew the process from 112 to
 * 825 MiB): half an ExecuteCommand that alerts, with a 100 KB user agent and command, half a call with a 100 KB
 * eventName that no rule names.
 */
export function bigBodies(n: number): string[] {
  return bodies(n, 'big').map((text, i) => {
    const body = JSON.parse(text) as { detail: Record<string, unknown> }
    const filler = (tag: string) => `${tag}-${i}-${'x'.repeat(KB100)}`
    body.detail.userAgent = filler('agent')
    if (i % 2 === 0) body.detail.eventName = filler('Event')
    else body.detail.requestParameters = { ...(body.detail.requestParameters as object), command: filler('command') }
    return JSON.stringify(body)
  })
}

/**
 * P5 (large fields): RSS of a consumer process after 3,000 ordinary events (the steady state) and again after 3,000
 * events with 100 KB fields, each after two forced full collections (node --expose-gc), so what is compared is what
 * the process retains.
 */
export async function bigFields(sqs: EmbeddedSqs, flags: string[], n = 3_000) {
  const slack = await startSlackDouble()
  const { queueUrl } = await sqs.createQueueWithDlq(`big-${Date.now()}`)
  const child = fork(new URL('./bigFieldsChild.js', import.meta.url), [queueUrl, sqs.endpoint, slack.url], { stdio: 'inherit', execArgv: [...flags, '--expose-gc'] })
  type Reply = { rss: number, heap: number, done: number }
  const ask = () => new Promise<Reply>((resolve) => {
    child.once('message', (m: Reply) => { resolve(m) })
    child.send({ ask: 'rss' })
  })
  await new Promise((r) => child.once('message', r))
  const send = async (items: string[]) => {
    const client = sqs.client()
    for (let i = 0; i < items.length; i += 2) {
      await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: items.slice(i, i + 2).map((b, j) => ({ Id: String(j), MessageBody: b })) }))
    }
  }
  const drained = async (total: number) => {
    for (;;) {
      const r = await ask()
      if (r.done >= total) return r
      await new Promise((res) => setTimeout(res, 500))
    }
  }
  await send(bodies(n, 'steady'))
  const steady = await drained(n)
  await send(bigBodies(n))
  const after = await drained(2 * n)
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  await slack.close()
  const mb = (b: number) => b / 2 ** 20
  return { steadyMb: mb(steady.rss), afterMb: mb(after.rss), steadyHeapMb: mb(steady.heap), afterHeapMb: mb(after.heap), slackPosts: slack.messages.length }
}
