import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger, createSocketModeClient } from '../../../../src/commands/clients.js'
import { createSocketConnection } from '../../../../src/sinks/slack/socket/socketConnection.js'
import { MemoryStateStore } from '../../../../src/state/memoryStateStore.js'
import { until } from '../../../support/daemonHarness.js'
import { type SlackDouble, startSlackDouble } from '../../../support/slackDouble.js'
import { type SocketModeDouble, startSocketModeDouble } from '../../../support/socketModeDouble.js'

let slack: SlackDouble
let socket: SocketModeDouble
beforeAll(async () => {
  slack = await startSlackDouble()
  socket = await startSocketModeDouble()
  slack.setSocketUrl(socket.url)
})
afterAll(async () => {
  await socket.close()
  await slack.close()
})

function logged() {
  const lines: string[] = []
  const stream = new PassThrough()
  stream.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)))
  return { log: createLogger('debug', stream), text: () => lines.join('\n') }
}

describe('the Socket Mode connection', () => {
  it('a refused app token makes the socket check fail with what to do, keeps retrying, and never leaks the token', async () => {
    const { log, text } = logged()
    const token = 'xapp-1-A0TRAILWRD-1-revokedrevokedrevoked'
    const connection = createSocketConnection({
      client: createSocketModeClient(token, log, slack.url, 1_000),
      store: new MemoryStateStore(),
      handler: { ackPayload: () => undefined, handle: () => Promise.resolve() },
      log,
      reconnect: { baseMs: 20, capMs: 100 },
    })
    connection.start()
    await until(() => slack.callsOf('apps.connections.open').filter((c) => c.token === token).length >= 3, 10_000, 'three attempts')
    expect(connection.status(Date.now())).toMatchObject({ ok: false, reason: expect.stringContaining('Slack refused SLACK_APP_TOKEN (invalid_auth)') as unknown })
    await connection.stop()
    expect(text()).not.toContain('revokedrevoked')
  })

  it('a Slack end that accepts the socket but never says hello is dropped and tried again', async () => {
    const mute = await startSocketModeDouble({ hello: false })
    const mutedSlack = await startSlackDouble()
    mutedSlack.setSocketUrl(mute.url)
    const { log } = logged()
    const connection = createSocketConnection({
      client: createSocketModeClient('xapp-1-A0TRAILWRD-1-test', log, mutedSlack.url, 1_000),
      store: new MemoryStateStore(),
      handler: { ackPayload: () => undefined, handle: () => Promise.resolve() },
      log,
      reconnect: { baseMs: 20, capMs: 100 },
      helloTimeoutMs: 200,
    })
    connection.start()
    await until(() => mute.accepted() >= 3, 10_000, 'three connections')
    // Not ready to act, but alerts flow: a warning, not a failed check.
    expect(connection.status(Date.now())).toMatchObject({ ok: true, warnings: [expect.stringMatching(/^Socket Mode (could not connect|disconnected)/) as unknown] })
    await connection.stop()
    await mute.close()
    await mutedSlack.close()
  })

  it('acknowledges first, then handles; an envelope seen before is acknowledged and not handled again', async () => {
    const { log } = logged()
    const handled: string[] = []
    const connection = createSocketConnection({
      client: createSocketModeClient('xapp-1-A0TRAILWRD-1-test', log, slack.url, 1_000),
      store: new MemoryStateStore(),
      handler: {
        ackPayload: () => undefined,
        // The work finishes only once Slack has the ack: were the ack sent after the work, this would never end.
        handle: async (_body, id) => {
          await until(() => socket.ackOf(id).length === 1, 10_000, 'the ack, while the work waits')
          handled.push(id)
        },
      },
      log,
    })
    connection.start()
    await until(() => connection.status(Date.now()).reason.startsWith('connected'), 10_000, 'connected')
    const id = socket.sendInteractive({ type: 'block_actions', actions: [] })
    await until(() => handled.length === 1, 10_000, 'handled')
    socket.resend(id)
    await until(() => connection.counts().duplicates === 1, 10_000, 'the repeat')
    expect(socket.ackOf(id)).toHaveLength(2)
    expect(handled).toEqual([id])
    await connection.stop()
  })
})
