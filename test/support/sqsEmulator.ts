import { afterAll, beforeAll } from 'vitest'
import { type EmbeddedSqs, startEmbeddedSqs } from '../../src/local/embeddedSqs.js'

export type { EmbeddedSqs, QueuePair } from '../../src/local/embeddedSqs.js'

/**
 * Start fauxqs on 127.0.0.1 (a free port) for the calling test file and stop it afterwards.
 * Returns a getter because the emulator only exists once beforeAll has run.
 */
export function useSqsEmulator(): () => EmbeddedSqs {
  let sqs: EmbeddedSqs | undefined
  beforeAll(async () => {
    sqs = await startEmbeddedSqs()
  })
  afterAll(async () => {
    await sqs?.stop()
  })
  return () => {
    if (!sqs) throw new Error('useSqsEmulator(): the emulator is not started yet (use it inside a test)')
    return sqs
  }
}
