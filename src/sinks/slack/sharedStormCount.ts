import type { StateStore } from '../../state/stateStore.js'
import { memoryKey } from './memoryKey.js'
import type { SharedStormCount } from './stormGuard.js'

/**
 * The storm guard's arrivals per channel and wall-clock minute, one atomic counter in the state store
 * (`storm#…`, ADD), kept two minutes. Undefined without a store: one process counts alone.
 */
export function sharedStormCount(store: StateStore | undefined, now: () => number, syncMs?: number): SharedStormCount | undefined {
  if (!store) return undefined
  return {
    add: (channel, minute, by) => store.increment(`storm#${memoryKey(channel, String(minute))}`, by, (minute + 2) * 60_000, now()),
    ...(syncMs === undefined ? {} : { syncMs }),
  }
}
