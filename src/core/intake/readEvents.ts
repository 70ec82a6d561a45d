import { normalise } from './normalise.js'
import { DEFAULT_LIMITS, type IntakeLimits, parseBody } from './parseBody.js'
import { type Rejection, rejection } from './rejection.js'
import { DEFAULT_SETTINGS, type NormaliseSettings } from './settings.js'
import type { IntakeRecord, NormalisedEvent } from './types.js'

export interface ReadResult {
  events: NormalisedEvent[]
  rejections: Rejection[]
}

/**
 * What a record that could not be normalised is rejected with. Fixed words: a thrown message may quote the record
 * (a field's value, a token in it), and rejections reach logs.
 */
export const CANNOT_NORMALISE = 'the record could not be normalised (a field holds a value trailwarden cannot read); the body\'s other records were read'

/**
 * One message body → normalised events and typed rejections. Pure; the benchmark times this. Each record is
 * normalised on its own: should one throw (normalise is meant to be total; this is the guard if it is not), it
 * becomes a rejection and the others are still returned, so one record never costs another its alert.
 */
export function readEvents(
  body: string,
  settings: NormaliseSettings = DEFAULT_SETTINGS,
  limits: IntakeLimits = DEFAULT_LIMITS,
): ReadResult {
  const parsed = parseBody(body, limits)
  const read = normaliseEach(parsed.records, settings)
  return { events: read.events, rejections: parsed.rejections.concat(read.rejections) }
}

/** Records already parsed (replay, backtest) → events, each record in isolation as in readEvents. */
export function normaliseEach(records: readonly IntakeRecord[], settings: NormaliseSettings = DEFAULT_SETTINGS): ReadResult {
  const events: NormalisedEvent[] = []
  const rejections: Rejection[] = []
  for (const r of records) {
    try {
      events.push(normalise(r, settings))
    } catch {
      rejections.push(rejection('cannot-normalise', CANNOT_NORMALISE, r.index))
    }
  }
  return { events, rejections }
}
