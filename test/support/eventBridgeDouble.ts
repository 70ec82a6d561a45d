import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * An Amazon EventBridge double on 127.0.0.1 for the real @aws-sdk/client-eventbridge (endpoint or
 * AWS_ENDPOINT_URL_EVENTBRIDGE). It speaks the AWS JSON 1.1 protocol: POST /, X-Amz-Target: AWSEvents.<Operation>,
 * JSON bodies; errors as HTTP 400 with {"__type": "<Code>", "message": …}. DescribeRule, PutRule and PutEvents.
 */
export interface StoredRule {
  Name: string
  Arn: string
  EventPattern?: string
  State: string
  Description?: string
  EventBusName: string
  RoleArn?: string
}

export interface EventBridgeDouble {
  readonly url: string
  readonly calls: Array<{ operation: string, body: Record<string, unknown> }>
  /** Every entry PutEvents accepted. */
  readonly events: Array<Record<string, unknown>>
  rules: Map<string, StoredRule>
  putRule(rule: Omit<StoredRule, 'Arn'>): void
  /** The next n calls of an operation answer ThrottlingException. */
  throttle(operation: string, n: number): void
  /** Decide per PutEvents entry whether it fails (ErrorCode InternalFailure); undefined: accept. */
  failEntries(fn: ((entry: Record<string, unknown>, callIndex: number) => boolean) | undefined): void
  /** Forget calls, events, scripted failures and the PutEvents call count (rules stay). */
  reset(): void
  close(): Promise<void>
}

export async function startEventBridgeDouble(): Promise<EventBridgeDouble> {
  const calls: EventBridgeDouble['calls'] = []
  const events: Array<Record<string, unknown>> = []
  const rules = new Map<string, StoredRule>()
  const throttles = new Map<string, number>()
  let failEntry: ((entry: Record<string, unknown>, callIndex: number) => boolean) | undefined
  let putEventsCalls = 0
  const key = (bus: unknown, name: unknown) => `${typeof bus === 'string' ? bus : 'default'}/${String(name)}`

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
    res.end(JSON.stringify(body))
  }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AWSEvents\./, '')
    calls.push({ operation, body })
    const left = throttles.get(operation) ?? 0
    if (left > 0) {
      throttles.set(operation, left - 1)
      reply(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }); return
    }
    switch (operation) {
      case 'DescribeRule': {
        const rule = rules.get(key(body.EventBusName, body.Name))
        if (rule) reply(res, 200, rule)
        else reply(res, 400, { __type: 'ResourceNotFoundException', message: `Rule ${String(body.Name)} does not exist.` })
        return
      }
      case 'PutRule': {
        const k = key(body.EventBusName, body.Name)
        const rule: StoredRule = {
          Name: String(body.Name),
          Arn: `arn:aws:events:us-east-1:111122223333:rule/${String(body.Name)}`,
          EventPattern: body.EventPattern as string,
          State: (body.State as string | undefined) ?? 'ENABLED',
          EventBusName: (body.EventBusName as string | undefined) ?? 'default',
          ...(body.Description ? { Description: body.Description as string } : {}),
          ...(body.RoleArn ? { RoleArn: body.RoleArn as string } : {}),
        }
        rules.set(k, rule)
        reply(res, 200, { RuleArn: rule.Arn }); return
      }
      case 'PutEvents': {
        const index = putEventsCalls++
        const entries = (body.Entries as Array<Record<string, unknown>> | undefined) ?? []
        const results = entries.map((e, i) => {
          if (failEntry?.(e, index)) return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' }
          events.push(e)
          return { EventId: `event-${index}-${i}` }
        })
        reply(res, 200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }); return
      }
      default:
      { reply(res, 400, { __type: 'UnknownOperationException', message: operation }); return }
    }
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => { reply(res, 500, { __type: 'InternalException', message: String(err) }) })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    events,
    rules,
    putRule(rule) {
      rules.set(key(rule.EventBusName, rule.Name), { ...rule, Arn: `arn:aws:events:us-east-1:111122223333:rule/${rule.Name}` })
    },
    throttle(operation, n) {
      throttles.set(operation, n)
    },
    failEntries(fn) {
      failEntry = fn
    },
    reset() {
      calls.length = 0
      events.length = 0
      failEntry = undefined
      putEventsCalls = 0
      throttles.clear()
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    },
  }
}
