import { describe, expect, it } from 'vitest'
import type { Alert } from '../../src/core/alerts/alert.js'
import { createPipelineHeartbeat } from '../../src/daemon/pipelineHeartbeat.js'

describe('the pipeline heartbeat', () => {
  it('alerts once when no event arrived for silentFor, once when events resume', async () => {
    let now = 0
    const sent: Alert[] = []
    const changes: boolean[] = []
    const notify = (a: Alert) => {
      sent.push(a)
      return Promise.resolve()
    }
    const hb = createPipelineHeartbeat({ silentForMs: 30 * 60_000, now: () => now, notify, onSilentChange: (s) => changes.push(s) })
    now = 29 * 60_000
    await hb.check()
    expect(sent).toEqual([])
    now = 31 * 60_000
    await hb.check()
    await hb.check()
    expect(sent.map((a) => a.title)).toEqual(['No CloudTrail events for 30 minutes'])
    expect(sent[0]).toMatchObject({ severity: 'high', ruleId: 'trailwarden-pipeline-silent' })
    hb.eventSeen(40 * 60_000)
    await new Promise((r) => setTimeout(r, 0))
    expect(sent.map((a) => a.ruleId)).toEqual(['trailwarden-pipeline-silent', 'trailwarden-pipeline-resumed'])
    expect(sent[1]?.description).toBe('Events resumed after 40 minutes of silence.')
    expect(changes).toEqual([true, false])
  })

  it('tries again on the next check when the silent alert could not be delivered', async () => {
    let now = 0
    let fail = true
    const sent: string[] = []
    const hb = createPipelineHeartbeat({ silentForMs: 1_000, now: () => now, notify: (a) => (fail ? Promise.reject(new Error('Slack down')) : (sent.push(a.ruleId), Promise.resolve())) })
    now = 2_000
    await hb.check()
    expect(hb.isSilent()).toBe(false)
    fail = false
    await hb.check()
    expect(sent).toEqual(['trailwarden-pipeline-silent'])
  })
})
