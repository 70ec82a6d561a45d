import { describe, expect, it } from 'vitest'
import { createAnnounceOnce } from '../../src/state/announceOnce.js'
import { DynamoStateStore } from '../../src/state/dynamoStateStore.js'
import { MemoryStateStore } from '../../src/state/memoryStateStore.js'
import type { StateStore } from '../../src/state/stateStore.js'
import { useDynamoEmulator } from '../support/dynamoEmulator.js'

const dynamo = useDynamoEmulator()
const stores: Array<[string, () => Promise<StateStore>]> = [
  ['memory', () => Promise.resolve(new MemoryStateStore())],
  ['dynamodb', async () => new DynamoStateStore(dynamo().client(), await dynamo().createTable())],
]

describe.each(stores)('system notices once per window across replicas: %s', (_name, make) => {
  it('two replicas announcing the same silence send it once; the next window sends again', async () => {
    const state = await make()
    let clock = 3_600_000
    const now = () => clock
    const sent: string[] = []
    const [a, b] = ['a', 'b'].map((owner) => createAnnounceOnce({ state, owner, now }))
    const results = await Promise.all([a!, b!].map((announce, i) => announce('pipeline-silent', 600_000, () => Promise.resolve(sent.push(`replica ${i}`)))))
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(sent).toHaveLength(1)
    expect(await b!('pipeline-silent', 600_000, () => Promise.resolve(sent.push('again')))).toBe(false)
    clock += 600_000
    expect(await b!('pipeline-silent', 600_000, () => Promise.resolve(sent.push('next window')))).toBe(true)
    expect(sent).toEqual([expect.stringMatching(/^replica/), 'next window'])
  })

  it('a replica whose post fails gives the window back: the notice is not silenced', async () => {
    const state = await make()
    const now = () => 7_200_000
    const [a, b] = ['a', 'b'].map((owner) => createAnnounceOnce({ state, owner, now }))
    await expect(a!('bus-rule-drift#x', 86_400_000, () => Promise.reject(new Error('Slack 503')))).rejects.toThrow('Slack 503')
    let sent = 0
    expect(await b!('bus-rule-drift#x', 86_400_000, () => Promise.resolve(sent++))).toBe(true)
    expect(sent).toBe(1)
  })
})
