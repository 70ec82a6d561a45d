import { describe, expect, it } from 'vitest'
import { createWorkInHand, type InWork } from '../../../src/sources/sqs/createWorkInHand.js'
import { gate } from './sdkRecorder.js'

const entry = (messageId: string): InWork => ({ messageId, receipt: `r-${messageId}`, receivedAt: 0, finishing: false, released: false })

describe('the messages in work and the cap on them', () => {
  it('receives in flight reserve their room: two pollers cannot both fill the same room', async () => {
    const work = createWorkInHand(4)
    expect(await work.reserve()).toBe(4)
    let second: number | undefined
    void work.reserve().then((room) => { second = room })
    await Promise.resolve()
    expect(second).toBeUndefined()
    // The first receive brought one message: three slots come back.
    const done = gate()
    work.add(entry('a'), done.promise)
    work.unreserve(4)
    await new Promise((r) => setImmediate(r))
    expect(second).toBe(3)
    expect(work.size()).toBe(1)
  })

  it('never offers more than ten, the most one ReceiveMessage returns', async () => {
    expect(await createWorkInHand(100).reserve()).toBe(10)
  })

  it('a message leaves when its work ends, which frees its slot; idle() waits for the work in hand', async () => {
    const work = createWorkInHand(1)
    const done = gate()
    work.add(entry('a'), done.promise)
    expect(work.get('a')?.receipt).toBe('r-a')
    let room: number | undefined
    void work.reserve().then((r) => { room = r })
    const idle = work.idle()
    done.open()
    await idle
    expect(work.list()).toEqual([])
    await new Promise((r) => setImmediate(r))
    expect(room).toBe(1)
  })

  it('close(): a receive waiting for room gets none', async () => {
    const work = createWorkInHand(1)
    work.add(entry('a'), gate().promise)
    const waiting = work.reserve()
    work.close()
    expect(await waiting).toBe(0)
  })
})
