import { describe, expect, it } from 'vitest'
import { readEvents } from '../../../src/core/intake/readEvents.js'
import { DEFAULT_SETTINGS } from '../../../src/core/intake/settings.js'
import { createBacktest } from '../../../src/core/replay/backtestDiff.js'
import { fixtureText } from '../../support/fixtures.js'

const [event] = readEvents(fixtureText('corpus/ecs__CreateCluster__AssumedRole_console_mfaFalse__awsdocs.json'), DEFAULT_SETTINGS, { maxBodyBytes: 1 << 20, maxDepth: 64 }).events

describe('createBacktest', () => {
  it('counts per rule what the head set newly matches and no longer matches', () => {
    const backtest = createBacktest(['a', 'b'], ['b', 'c'])
    backtest.add(event!, ['a', 'b'], ['b', 'c'])
    expect(backtest.result()).toMatchObject({
      records: 1,
      rules: [
        { rule: 'a', status: 'removed rule', base: 1, head: 0, removed: 1 },
        { rule: 'b', status: 'unchanged', base: 1, head: 1 },
        { rule: 'c', status: 'new rule', base: 0, head: 1, added: 1 },
      ],
    })
  })

  it('a matched rule the id lists did not name is counted, not a crash', () => {
    const backtest = createBacktest(['a'], ['a'])
    backtest.add(event!, ['a'], ['a', 'late'])
    expect(backtest.result().rules).toMatchObject([
      { rule: 'a', status: 'unchanged' },
      { rule: 'late', status: 'new rule', head: 1, added: 1 },
    ])
  })
})
