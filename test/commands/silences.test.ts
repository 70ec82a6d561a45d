import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { CommandIO } from '../../src/commands/io.js'
import { silencesCommandWith } from '../../src/commands/silences.js'
import type { Silence } from '../../src/core/silences/silence.js'
import { SilenceBook } from '../../src/sinks/slack/socket/silenceBook.js'
import { MemoryStateStore } from '../../src/state/memoryStateStore.js'

const NOW = Date.parse('2026-12-02T07:00:00Z')

async function run(store: MemoryStateStore, argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  stdout.on('data', (c: Buffer) => out.push(c.toString()))
  stderr.on('data', (c: Buffer) => err.push(c.toString()))
  const io: CommandIO = { stdin: new PassThrough(), stdout, stderr, env: {}, cwd: process.cwd(), now: () => NOW }
  const code = await silencesCommandWith(() => ({ store })).run(argv, io)
  return { code, stdout: out.join(''), stderr: err.join('') }
}

const silence = (id: string, over: Partial<Silence> = {}): Silence => ({
  id, ruleId: 'ecs-exec-session', scope: { kind: 'actor', actorArn: 'arn:aws:iam::111122223333:user/ci-bot' }, reason: 'load test\nof the exec path', author: 'U0ALICE',
  createdAt: NOW - 60_000, expiresAt: NOW + 3_600_000, ...over,
})

describe('trailwarden silences list|export over a shared store', () => {
  it('list prints one line per active silence (ended and undone ones left out), export the same as exceptions', async () => {
    const store = new MemoryStateStore()
    const book = new SilenceBook(store)
    await book.add(silence('aaaaaaaaaaaaaaaa'), NOW - 60_000)
    await book.add(silence('bbbbbbbbbbbbbbbb', { expiresAt: NOW - 1 }), NOW - 60_000)
    await book.add(silence('cccccccccccccccc', { undone: { by: 'U0BOB', at: NOW - 10 } }), NOW - 60_000)
    const list = await run(store, ['list'])
    expect(list.code).toBe(0)
    expect(list.stdout).toBe('aaaaaaaaaaaaaaaa  ecs-exec-session  actor arn:aws:iam::111122223333:user/ci-bot  until 2026-12-02T08:00:00Z  by U0ALICE: load test of the exec path\n1 active silence\n')
    const exported = await run(store, ['export'])
    expect(Object.keys(parse(exported.stdout) as object)).toEqual(['ecs-exec-session'])
    expect((await run(store, ['forget'])).code).toBe(2)
  })

  it('a damaged entry in the store is left out, never applied half-read', async () => {
    const store = new MemoryStateStore()
    await store.put('rec#silences', { silences: [silence('aaaaaaaaaaaaaaaa'), { id: 'x', ruleId: { toString: 1 } }, null, 'text'] }, NOW + 3_600_000, undefined, NOW)
    expect((await new SilenceBook(store).read(NOW)).map((s) => s.id)).toEqual(['aaaaaaaaaaaaaaaa'])
  })
})
