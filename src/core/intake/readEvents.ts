import { normalise } from './normalise.js'
import { DEFAULT_LIMITS, type IntakeLimits, parseBody } from './parseBody.js'
import type { Rejection } from './rejection.js'
import { DEFAULT_SETTINGS, type NormaliseSettings } from './settings.js'
import type { NormalisedEvent } from './types.js'

export interface ReadResult {
  events: NormalisedEvent[]
  rejections: Rejection[]
}

/** One message body → normalised events and typed rejections. Pure; the benchmark times this. */
export function readEvents(
  body: string,
  settings: NormaliseSettings = DEFAULT_SETTINGS,
  limits: IntakeLimits = DEFAULT_LIMITS,
): ReadResult {
  const parsed = parseBody(body, limits)
  return { events: parsed.records.map((r) => normalise(r, settings)), rejections: parsed.rejections }
}
