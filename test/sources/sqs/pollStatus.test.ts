import { describe, expect, it } from 'vitest'
import { createPollStatus, POLL_FRESHNESS_MS } from '../../../src/sources/sqs/pollStatus.js'

const T0 = 1_800_000_000_000

describe('the source status: the last ReceiveMessage succeeded within 60 s', () => {
  it('is not ok before the first successful receive', () => {
    expect(createPollStatus(T0).status(T0 + 1_000)).toEqual({ ok: false, reason: 'no ReceiveMessage has succeeded yet', since: T0 })
  })

  it('is ok after a receive, until POLL_FRESHNESS_MS without another', () => {
    const s = createPollStatus(T0)
    s.succeeded(T0 + 1_000)
    expect(s.status(T0 + 2_000)).toMatchObject({ ok: true, since: T0 + 1_000 })
    s.succeeded(T0 + 30_000)
    expect(s.status(T0 + 30_000 + POLL_FRESHNESS_MS)).toMatchObject({ ok: true, since: T0 + 1_000 })
    expect(s.status(T0 + 30_001 + POLL_FRESHNESS_MS)).toEqual({ ok: false, reason: 'no ReceiveMessage succeeded for 60 s', since: T0 + 30_000 + POLL_FRESHNESS_MS })
  })

  it('a failure says what failed and since when; the next success makes it ok again from then', () => {
    const s = createPollStatus(T0)
    s.succeeded(T0)
    s.failed(T0 + 5_000, 'connect ECONNREFUSED 127.0.0.1:4566')
    s.failed(T0 + 9_000, 'connect ECONNREFUSED 127.0.0.1:4566')
    expect(s.status(T0 + 10_000)).toEqual({ ok: false, reason: 'ReceiveMessage failed: connect ECONNREFUSED 127.0.0.1:4566', since: T0 + 5_000 })
    s.succeeded(T0 + 12_000)
    expect(s.status(T0 + 12_000)).toMatchObject({ ok: true, since: T0 + 12_000 })
  })

  it('the reason is bounded and carries no credential the endpoint echoed', () => {
    const s = createPollStatus(T0)
    s.failed(T0, `The security token included in the request is invalid: AKIAIOSFODNN7EXAMPLE ${'x'.repeat(5_000)}`)
    const { reason } = s.status(T0)
    expect(reason).not.toContain('AKIAIOSFODNN7EXAMPLE')
    expect(reason).toContain('‹redacted AWS key id›')
    expect(reason.length).toBeLessThan(400)
  })
})
