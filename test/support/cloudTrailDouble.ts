import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A CloudTrail Event history double on 127.0.0.1 for the real @aws-sdk/client-cloudtrail (endpoint or
 * AWS_ENDPOINT_URL_CLOUDTRAIL). It speaks what the SDK sends — read from the SDK's own request: AWS JSON 1.1,
 * `POST /`, `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: CloudTrail_20131101.LookupEvents`, times as epoch
 * seconds, SigV4 whose credential scope names the region — and answers as LookupEvents does: `Events[]` newest first
 * with `CloudTrailEvent` as the record's JSON string, `EventTime` epoch seconds, `NextToken` while more remain
 * (`MaxResults` at most 50); errors as HTTP 400 `{"__type": …, "message": …}`.
 *
 * It enforces LookupEvents' limit, 2 requests per second per account and region: a third call within any 1,000 ms of
 * a region's calls is answered ThrottlingException (and recorded, so a test sees every call and its time).
 */
export interface RecordedCall {
  /** performance.now() at arrival (ms). */
  at: number
  region: string
  target: string
  body: Record<string, unknown>
  /** What was answered: 'page' or an error's __type. */
  answer: string
}

export interface LookupEvent {
  EventId: string
  EventName: string
  ReadOnly: string
  AccessKeyId?: string
  EventTime: number
  EventSource: string
  Username?: string
  Resources: Array<{ ResourceType: string, ResourceName: string }>
  CloudTrailEvent: string
}

export interface CloudTrailDouble {
  readonly url: string
  readonly calls: RecordedCall[]
  /** The region's events (CloudTrail records), served in the LookupEvents form, newest first. */
  setRecords(region: string, records: ReadonlyArray<Record<string, unknown>>): void
  /** Add results as given (a CloudTrailEvent that is not JSON, for one). */
  addRaw(region: string, events: readonly LookupEvent[]): void
  /** Every call answers this error: the credentials' or the permission's failure. */
  mode(m: 'ok' | 'access-denied' | 'expired-token'): void
  /** The next n calls of a region answer ThrottlingException, whatever the rate. */
  throttle(region: string, n: number): void
  /** From its nth call on (1-based), the region answers this error. */
  failFrom(region: string, call: number, type: string, message: string): void
  /** Answers wait this long (a slow service, for interrupting a run mid-way). */
  delay(ms: number): void
  /** Forget events, calls, per-region counts, scripted failures, the mode and the delay. */
  reset(): void
  close(): Promise<void>
}

const ERRORS = {
  'access-denied': { __type: 'AccessDeniedException', message: 'User: arn:aws:sts::111122223333:assumed-role/ReadOnly/alice@example.com is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action' },
  'expired-token': { __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' },
} as const

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {})

/** A record in the form LookupEvents returns it: the wrapper's fields CloudTrail derives, and the record as a string. */
export function asLookupEvent(record: Record<string, unknown>): LookupEvent {
  const ui = obj(record.userIdentity)
  const arn = str(ui.arn)
  const username = str(ui.userName) ?? (arn?.includes(':assumed-role/') ? arn.split('/').pop() : undefined)
  const req = obj(record.requestParameters)
  const resources: LookupEvent['Resources'] = []
  if (str(req.cluster)) resources.push({ ResourceType: 'AWS::ECS::Cluster', ResourceName: str(req.cluster) ?? '' })
  const service = str(req.service) ?? str(req.serviceName)
  if (service) resources.push({ ResourceType: 'AWS::ECS::Service', ResourceName: service })
  if (str(req.taskDefinition)) resources.push({ ResourceType: 'AWS::ECS::TaskDefinition', ResourceName: str(req.taskDefinition) ?? '' })
  return {
    EventId: str(record.eventID) ?? 'no-event-id',
    EventName: str(record.eventName) ?? '',
    ReadOnly: record.readOnly === true || record.readOnly === 'true' ? 'true' : 'false',
    ...(str(ui.accessKeyId) ? { AccessKeyId: str(ui.accessKeyId) } : {}),
    EventTime: Date.parse(str(record.eventTime) ?? '') / 1000,
    EventSource: str(record.eventSource) ?? '',
    ...(username ? { Username: username } : {}),
    Resources: resources,
    CloudTrailEvent: JSON.stringify(record),
  }
}

export async function startCloudTrailDouble(): Promise<CloudTrailDouble> {
  const calls: RecordedCall[] = []
  const events = new Map<string, LookupEvent[]>()
  const throttles = new Map<string, number>()
  const failures = new Map<string, { call: number, type: string, message: string }>()
  const callCount = new Map<string, number>()
  let mode: 'ok' | 'access-denied' | 'expired-token' = 'ok'
  let delayMs = 0

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` })
    res.end(JSON.stringify(body))
  }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const at = performance.now()
    const target = String(req.headers['x-amz-target'] ?? '')
    // The region is the SigV4 credential scope's third part: Credential=AKID/20261202/eu-west-1/cloudtrail/aws4_request.
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/cloudtrail\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unsigned'
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>
    const answer = (status: number, out: unknown, label: string) => {
      calls.push({ at, region, target, body, answer: label })
      const send = () => { reply(res, status, out) }
      if (delayMs > 0) setTimeout(send, delayMs)
      else send()
    }
    const error = (type: string, message: string) => { answer(400, { __type: type, message }, type) }
    if (req.method !== 'POST' || req.url !== '/' || req.headers['content-type'] !== 'application/x-amz-json-1.1') {
      error('SerializationException', 'expected POST / with application/x-amz-json-1.1'); return
    }
    if (target !== 'CloudTrail_20131101.LookupEvents') {
      error('UnknownOperationException', target); return
    }
    const n = (callCount.get(region) ?? 0) + 1
    callCount.set(region, n)
    // LookupEvents' limit: at most 2 calls in any second, per account and region (every call counts, refused ones too).
    const recent = calls.filter((c) => c.region === region && at - c.at < 1000).length
    const forced = throttles.get(region) ?? 0
    if (forced > 0) throttles.set(region, forced - 1)
    if (recent >= 2 || forced > 0) {
      error('ThrottlingException', 'Rate exceeded'); return
    }
    if (mode !== 'ok') {
      error(ERRORS[mode].__type, ERRORS[mode].message); return
    }
    const failure = failures.get(region)
    if (failure && n >= failure.call) {
      error(failure.type, failure.message); return
    }
    const max = typeof body.MaxResults === 'number' ? body.MaxResults : 50
    if (max < 1 || max > 50) {
      error('InvalidMaxResultsException', 'MaxResults must be between 1 and 50'); return
    }
    const attributes = Array.isArray(body.LookupAttributes) ? body.LookupAttributes as Array<{ AttributeKey?: string, AttributeValue?: string }> : []
    if (attributes.length > 1) {
      error('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute'); return
    }
    const start = typeof body.StartTime === 'number' ? body.StartTime : -Infinity
    const end = typeof body.EndTime === 'number' ? body.EndTime : Infinity
    const source = attributes[0]?.AttributeKey === 'EventSource' ? attributes[0].AttributeValue : undefined
    const matching = (events.get(region) ?? []).filter((e) => e.EventTime >= start && e.EventTime <= end && (source === undefined || e.EventSource === source))
    let offset = 0
    if (typeof body.NextToken === 'string') {
      const decoded = /^page:(\d+)$/.exec(Buffer.from(body.NextToken, 'base64').toString('utf8'))
      if (!decoded) {
        error('InvalidNextTokenException', 'Invalid NextToken'); return
      }
      offset = Number(decoded[1])
    }
    const page = matching.slice(offset, offset + max)
    const next = offset + max < matching.length ? { NextToken: Buffer.from(`page:${offset + max}`).toString('base64') } : {}
    answer(200, { Events: page, ...next }, 'page')
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => { reply(res, 500, { __type: 'InternalFailure', message: String(err) }) })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const sortNewestFirst = (list: LookupEvent[]) => list.sort((a, b) => b.EventTime - a.EventTime)
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setRecords(region, records) {
      events.set(region, sortNewestFirst(records.map(asLookupEvent)))
    },
    addRaw(region, raw) {
      events.set(region, sortNewestFirst([...(events.get(region) ?? []), ...raw]))
    },
    mode(m) {
      mode = m
    },
    throttle(region, n) {
      throttles.set(region, n)
    },
    failFrom(region, call, type, message) {
      failures.set(region, { call, type, message })
    },
    delay(ms) {
      delayMs = ms
    },
    reset() {
      // Each test sets the events it reads: none carried over from an earlier test.
      events.clear()
      calls.length = 0
      callCount.clear()
      throttles.clear()
      failures.clear()
      mode = 'ok'
      delayMs = 0
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    },
  }
}

/** The largest number of a region's calls that arrived within any 1,000 ms. */
export function mostCallsInOneSecond(calls: readonly RecordedCall[], region: string): number {
  const times = calls.filter((c) => c.region === region).map((c) => c.at).sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 1000) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}
