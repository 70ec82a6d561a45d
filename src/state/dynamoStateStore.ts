import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import type { ComponentStatus } from '../health/componentStatus.js'
import { StatusTracker } from '../health/statusTracker.js'
import { checkRecordSize } from './checkRecordSize.js'
import { describeDynamoFailure } from './describeDynamoFailure.js'
import type { Claim, DeliveredRecord, StateStore, StoredRecord } from './stateStore.js'
import { StateUnavailable } from './stateUnavailable.js'

/**
 * The shared store: one DynamoDB table every replica uses (#19). One item per key; the layout (README, "Shared
 * state"):
 *
 * | attribute   | type | meaning |
 * | ----------- | ---- | ------- |
 * | pk          | S    | the key (`claim#…`, `count#…`, `once#…`, `rec#…`: digests, never event text) |
 * | kind        | S    | claim, delivered, count, once, record |
 * | expiresAt   | N    | epoch **seconds**, rounded up: the table's TTL attribute, so DynamoDB deletes the item some time after |
 * | expiresAtMs | N    | epoch milliseconds: what every read and condition compares (leases are seconds long) |
 * | owner       | S    | claim: the replica holding the lease |
 * | firstAt     | N    | claim: epoch ms of the key's first claim, kept across takeovers (where to look in Slack) |
 * | channel, ts, status | S | delivered: the DeliveredRecord |
 * | n           | N    | count: the counter |
 * | value, version | S, N | record: the JSON and its version |
 *
 * TTL deletes expired items lazily ("typically within a few days",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html), so an expired item may still
 * be read: every condition and read compares `expiresAtMs` with the caller's `now`, exactly as MemoryStateStore does
 * (an item is live while `expiresAtMs > now`). Conditional writes are how two replicas agree: of two PutItems with
 * `attribute_not_exists(pk) OR expiresAtMs <= :now`, one succeeds and the other fails with
 * ConditionalCheckFailedException (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
 *
 * Calls per delivered alert: claim (UpdateItem) + markDelivered (UpdateItem) = 2; a redelivered one: 1 UpdateItem + 1
 * GetItem (to say what holds it).
 */
export class DynamoStateStore implements StateStore {
  readonly kind = 'dynamodb'
  private readonly tracker: StatusTracker
  /** DynamoDB calls made, for the bench's calls-per-alert figure; and by the key's namespace (`claim`, `storm`, …). */
  calls = 0
  readonly callsByNamespace = new Map<string, number>()

  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
    private readonly hooks: { onFailure?: (operation: string, retryable: boolean) => void, now?: () => number } = {},
  ) {
    this.tracker = new StatusTracker(true, `DynamoDB table ${table}: not used yet`, (hooks.now ?? Date.now)())
  }

  async claim(key: string, owner: string, leaseMs: number, now: number): Promise<Claim> {
    for (let attempt = 0; attempt < 3; attempt++) {
      // An UpdateItem rather than a PutItem: it keeps `firstAt` across takeovers (if_not_exists) and returns the item
      // it replaced (ALL_OLD), so the caller learns that an earlier attempt may have posted.
      const won = await this.send('UpdateItem', new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: s(key) },
        UpdateExpression: 'SET #kind = :claim, #owner = :me, expiresAt = :exp, expiresAtMs = :expMs, firstAt = if_not_exists(firstAt, :now)',
        // Absent, expired (its owner died or its memory ended), or already mine (a retry in this process).
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now OR (#kind = :claim AND #owner = :me)',
        ExpressionAttributeNames: { '#kind': 'kind', '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': n(now), ':claim': s('claim'), ':me': s(owner), ':exp': n(seconds(now + leaseMs)), ':expMs': n(now + leaseMs) },
        ReturnValues: 'ALL_OLD',
      }))
      if (won) {
        const old = won.Attributes
        if (old?.kind?.S !== 'claim') return { kind: 'claimed' }
        // A claim written before firstAt existed: its lease began leaseMs before it ended (as this one's does).
        const since = old.firstAt?.N === undefined ? Number(old.expiresAtMs?.N) - leaseMs : Number(old.firstAt.N)
        return { kind: 'claimed', earlier: { since, until: Math.min(Number(old.expiresAtMs?.N), now) } }
      }
      const item = await this.read(key, now)
      if (item?.kind?.S === 'delivered') {
        return { kind: 'delivered', record: deliveredRecord(item) }
      }
      if (item?.kind?.S === 'claim') return { kind: 'held', owner: item.owner?.S ?? '', until: Number(item.expiresAtMs?.N) }
      // Released or expired between the two calls: try again.
    }
    return { kind: 'held', owner: 'unknown', until: now + 1_000 }
  }

  async markDelivered(key: string, owner: string, result: DeliveredRecord, keepUntil: number, now: number): Promise<void> {
    await this.conditional('UpdateItem', new UpdateItemCommand({
      TableName: this.table,
      Key: { pk: s(key) },
      UpdateExpression: 'SET #kind = :delivered, channel = :channel, #status = :status, expiresAt = :exp, expiresAtMs = :expMs'
        + (result.ts === undefined ? ' REMOVE #owner, firstAt, ts' : ', ts = :ts REMOVE #owner, firstAt'),
      // Only the lease's owner marks it: a lease lost to another replica leaves that replica's result in place.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now OR (#kind = :claim AND #owner = :me)',
      ExpressionAttributeNames: { '#kind': 'kind', '#owner': 'owner', '#status': 'status' },
      ExpressionAttributeValues: {
        ':delivered': s('delivered'), ':channel': s(result.channel), ':status': s(result.status),
        ':exp': n(seconds(keepUntil)), ':expMs': n(keepUntil), ':now': n(now), ':claim': s('claim'), ':me': s(owner),
        ...(result.ts === undefined ? {} : { ':ts': s(result.ts) }),
      },
    }))
  }

  async release(key: string, owner: string): Promise<void> {
    await this.conditional('DeleteItem', new DeleteItemCommand({
      TableName: this.table,
      Key: { pk: s(key) },
      ConditionExpression: '#kind = :claim AND #owner = :me',
      ExpressionAttributeNames: { '#kind': 'kind', '#owner': 'owner' },
      ExpressionAttributeValues: { ':claim': s('claim'), ':me': s(owner) },
    }))
  }

  async increment(key: string, by: number, expiresAt: number, now: number): Promise<number> {
    for (;;) {
      // A live counter: ADD is atomic across replicas and keeps the counter's own expiry.
      const added = await this.send('UpdateItem', new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: s(key) },
        UpdateExpression: 'ADD #n :by',
        ConditionExpression: '#kind = :count AND expiresAtMs > :now',
        ExpressionAttributeNames: { '#kind': 'kind', '#n': 'n' },
        ExpressionAttributeValues: { ':by': n(by), ':count': s('count'), ':now': n(now) },
        ReturnValues: 'UPDATED_NEW',
      }))
      if (added) return Number(added.Attributes?.n?.N)
      // None yet (or expired): start one; if another replica started it first, add to theirs.
      const started = await this.conditional('PutItem', new PutItemCommand({
        TableName: this.table,
        Item: { pk: s(key), kind: s('count'), n: n(by), ...expiry(expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now OR #kind <> :count',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':now': n(now), ':count': s('count') },
      }))
      if (started) return by
    }
  }

  once(key: string, expiresAt: number, now: number): Promise<boolean> {
    return this.conditional('PutItem', new PutItemCommand({
      TableName: this.table,
      Item: { pk: s(key), kind: s('once'), ...expiry(expiresAt) },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now',
      ExpressionAttributeValues: { ':now': n(now) },
    }))
  }

  async get(key: string, now: number): Promise<StoredRecord | undefined> {
    const item = await this.read(key, now)
    if (item?.kind?.S !== 'record') return undefined
    return { value: JSON.parse(item.value?.S ?? 'null') as unknown, version: Number(item.version?.N), expiresAt: Number(item.expiresAtMs?.N) }
  }

  async put(key: string, value: unknown, expiresAt: number, expectedVersion: number | undefined, now: number): Promise<boolean> {
    const json = checkRecordSize(key, value)
    const fresh = expectedVersion === undefined
    return await this.conditional('PutItem', new PutItemCommand({
      TableName: this.table,
      Item: { pk: s(key), kind: s('record'), value: s(json), version: n((expectedVersion ?? 0) + 1), ...expiry(expiresAt) },
      ConditionExpression: fresh
        ? 'attribute_not_exists(pk) OR expiresAtMs <= :now OR #kind <> :record'
        : '#kind = :record AND version = :v AND expiresAtMs > :now',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':now': n(now), ':record': s('record'), ...(fresh ? {} : { ':v': n(expectedVersion) }) },
    }))
  }

  /**
   * Readiness. While the table fails, each read (at most one every 5 s) also sends a GetItem of a probe key in the
   * background, so readiness turns true again once the table answers even when no message needs it.
   */
  status(now?: number): ComponentStatus {
    const at = now ?? (this.hooks.now ?? Date.now)()
    if (!this.tracker.status.ok && at - this.lastProbe >= 5_000) {
      this.lastProbe = at
      void this.read('probe#readiness', at).catch(() => undefined)
    }
    return this.tracker.status
  }

  private lastProbe = 0

  /** A strongly consistent read of a live item: a replica must see the claim another one wrote a moment ago. */
  private async read(key: string, now: number): Promise<Record<string, AttributeValue> | undefined> {
    const out = await this.send('GetItem', new GetItemCommand({ TableName: this.table, Key: { pk: s(key) }, ConsistentRead: true }))
    const item = out?.Item
    return item && Number(item.expiresAtMs?.N) > now ? item : undefined
  }

  /** A conditional write: true when it was made, false when its condition did not hold. */
  private async conditional(operation: string, command: Command): Promise<boolean> {
    return (await this.send(operation, command)) !== undefined
  }

  /** One call; undefined when a condition failed; StateUnavailable for everything else, with readiness updated. */
  private async send(operation: string, command: Command): Promise<Output | undefined> {
    const at = (this.hooks.now ?? Date.now)()
    this.calls += 1
    const input = command.input as { Key?: { pk?: AttributeValue }, Item?: { pk?: AttributeValue } }
    const namespace = (input.Key?.pk?.S ?? input.Item?.pk?.S ?? '').split('#')[0] ?? ''
    this.callsByNamespace.set(namespace, (this.callsByNamespace.get(namespace) ?? 0) + 1)
    try {
      // Each command's output is read by its caller; the union of commands has no single send overload.
      const out = await (this.client.send as (c: Command) => Promise<Output>)(command)
      this.answered(at)
      return out
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') {
        this.answered(at)
        return undefined
      }
      const failure = describeDynamoFailure(err, this.table, operation)
      this.tracker.set(false, failure.message, at)
      this.hooks.onFailure?.(operation, failure.retryable)
      throw new StateUnavailable(failure.message, failure.retryable, { cause: err })
    }
  }

  private answered(at: number): void {
    if (!this.tracker.status.ok || this.tracker.status.reason.endsWith('not used yet')) this.tracker.set(true, `DynamoDB table ${this.table} answers`, at)
  }
}

type Command = GetItemCommand | PutItemCommand | UpdateItemCommand | DeleteItemCommand
interface Output { Item?: Record<string, AttributeValue>, Attributes?: Record<string, AttributeValue> }

const s = (v: string): AttributeValue => ({ S: v })
const n = (v: number): AttributeValue => ({ N: String(v) })
/** The TTL attribute must be epoch seconds (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html). */
const seconds = (ms: number): number => Math.ceil(ms / 1000)
const expiry = (ms: number): Record<string, AttributeValue> => ({ expiresAt: n(seconds(ms)), expiresAtMs: n(ms) })

function deliveredRecord(item: Record<string, AttributeValue>): DeliveredRecord {
  return { channel: item.channel?.S ?? '', ...(item.ts?.S === undefined ? {} : { ts: item.ts.S }), status: item.status?.S ?? 'posted' }
}
