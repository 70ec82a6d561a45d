import { randomUUID } from 'node:crypto'
import type { WebClient } from '@slack/web-api'
import type { Alert } from '../../core/alerts/alert.js'
import { findingsOf, withFindings } from '../../core/alerts/findings.js'
import { resolveMentions } from '../../core/alerts/mentionSyntax.js'
import { renderDigestSafely, renderSlackSafely } from '../../core/alerts/renderSafely.js'
import type { Target } from '../../core/alerts/routeAlert.js'
import type { ComponentStatus } from '../../health/componentStatus.js'
import type { StateStore } from '../../state/stateStore.js'
import type { AlertSink, DeliveryOutcome, SinkMetrics, SinkSettings } from '../alertSink.js'
import { DeliveryError } from '../deliveryError.js'
import { ChannelDirectory } from './channelDirectory.js'
import { ChannelQueues } from './channelQueues.js'
import { classifySlackError } from './classifySlackError.js'
import { DedupThreads } from './dedupThreads.js'
import { DeliveryMemory } from './deliveryMemory.js'
import { PostedLookup } from './postedLookup.js'
import { SlackHealth } from './slackHealth.js'
import { postDigestOnce } from './sharedDigest.js'
import { SlackPoster } from './slackPoster.js'
import { sharedStormCount } from './sharedStormCount.js'
import { StormGuard } from './stormGuard.js'
import { type UserGroupResolution, UserGroupResolver } from './userGroupResolver.js'

export interface SlackSinkOptions {
  /** Built by the command layer with rejectRateLimitedCalls: true, so 429s reach us per channel. */
  client: WebClient
  /** Where alerts go when their channel is missing or the bot is not in it. */
  fallbackChannel?: string | undefined
  /** Alerts a minute per channel before the channel switches to digests. */
  stormThreshold?: number
  digestIntervalMs?: number
  /** Least time between two posts in one channel (see ChannelQueues). */
  channelIntervalMs?: number
  /** Most time spent waiting out Retry-After for one delivery before giving up (the message is redelivered later). */
  maxRateLimitWaitMs?: number
  /** How long a delivered (event, record, rule, channel) is remembered, so a redelivered SQS message never posts twice. */
  idempotencyTtlMs?: number
  idempotencyMax?: number
  idempotencyMaxBytes?: number
  /** Dedup threads remembered, and the bytes their rendered parents may hold. */
  threadMax?: number
  threadMaxBytes?: number
  now?: () => number
  metrics?: SinkMetrics
  /** A token or channel problem: readiness turns false until a delivery to that channel succeeds. */
  onConfigurationError?: (channel: string, code: string) => void
  onDelivered?: (channel: string) => void
  /** How long a channel fails fast after a retryable failure (see ChannelQueues). */
  breakerMs?: number
  /** Each resolution of the config's user-group handles (at start and on every reload), for the log. */
  onMentions?: (resolution: UserGroupResolution) => void
  /** A usergroups.list answer younger than this is reused (default 10 s). */
  userGroupsMaxAgeMs?: number
  /** SLACK_APP_TOKEN is set: alerts carry Acknowledge / Silence / That was me (core/alerts/actionBlocks.ts). */
  actions?: boolean
  /**
   * Shared state (#19): deliveries are claimed there before posting, so replicas and restarts post each alert once.
   * Absent: this process's memory only (one replica; a restart may repeat what was in flight).
   */
  state?: StateStore | undefined
  /** This process as a claim's owner (unique per start). */
  owner?: string
  /** How long a claim holds against other replicas (covers the channel's queue and Slack's Retry-After waits). */
  claimLeaseMs?: number
  /** How often each replica adds its arrivals to the shared storm count (default 2 s). */
  stormSyncMs?: number
  /** After the store has failed this long without a break, post without a claim (at-least-once). Infinity: never. */
  blindAfterMs?: number
  /**
   * The store failed after Slack accepted (the delivery is acked; another replica might repeat it), was bypassed, or a
   * takeover could not look in Slack for the earlier attempt's message and posted (a duplicate is possible).
   */
  onStateProblem?: (what: 'mark_failed' | 'blind' | 'unverified', detail: string) => void
}

/** The Slack sink: an AlertSink whose settings reload, whose token is checked, and whose memory is measured. */
export interface SlackSink extends AlertSink {
  configure(settings: SinkSettings): void
  verify(): Promise<ComponentStatus>
  status(now: number): ComponentStatus
  /** Bytes held by the sink's memories, by their caches' own size calculation. */
  memory(): { deliveries: number, threads: number, storms: number }
}

/**
 * Delivers alerts to Slack: one queue per channel at Slack's per-channel pace, Retry-After honoured per channel,
 * failures classified (retryable / configuration / payload), idempotent per (event, record, rule, channel), dedup
 * threads with a live count on the parent, digests during storms, and a fallback channel for misconfigured ones.
 */
export function createSlackSink(options: SlackSinkOptions): SlackSink {
  const { client, now = Date.now, metrics = {} } = options
  let fallbackChannel = options.fallbackChannel
  let stormThreshold = options.stormThreshold ?? 20
  const queues = new ChannelQueues({
    intervalMs: options.channelIntervalMs ?? 1_000,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 60_000,
    breakerMs: options.breakerMs ?? 5_000,
    now,
    metrics,
  })
  const directory = new ChannelDirectory({ store: options.state, now })
  const poster = new SlackPoster(client, queues, directory)
  /** This app's bot user, from auth.test (verify): the lookup counts only its messages. */
  let botId: string | undefined
  const lookup = new PostedLookup(client, queues, directory, now, () => botId)
  const owner = options.owner ?? `${process.pid}-${randomUUID()}`
  const deliveries = new DeliveryMemory({
    ttlMs: options.idempotencyTtlMs ?? 24 * 3_600_000,
    maxEntries: options.idempotencyMax ?? 100_000,
    maxBytes: options.idempotencyMaxBytes ?? 32 * 1024 * 1024,
    store: options.state,
    owner,
    leaseMs: options.claimLeaseMs ?? 180_000,
    blindAfterMs: options.blindAfterMs ?? 600_000,
    now,
    onBlind: () => options.onStateProblem?.('blind', 'the state store has failed for longer than blindAfterMs: posting without a claim'),
  })
  const threads = new DedupThreads({
    now, maxEntries: options.threadMax ?? 10_000, maxBytes: options.threadMaxBytes ?? 16 * 1024 * 1024, store: options.state, owner,
  })
  const health = new SlackHealth(now)
  const resolver = new UserGroupResolver(client, { now, maxAgeMs: options.userGroupsMaxAgeMs ?? 10_000 })
  /** handle → user-group id, from the last resolution; a handle missing here is rendered inert. */
  let userGroups: Record<string, string> = {}
  let mentionWarnings: string[] = []
  let resolving: Promise<void> | undefined
  const inFlight = new Map<string, Promise<DeliveryOutcome>>()
  const digestIntervalMs = options.digestIntervalMs ?? 60_000
  const digestSlots = new Map<string, Promise<unknown>>()
  const storms = new StormGuard({
    threshold: stormThreshold,
    intervalMs: digestIntervalMs,
    now,
    shared: sharedStormCount(options.state, now, options.stormSyncMs),
    flush: async (channel, alerts, since) => {
      const digest = renderDigestSafely(alerts, new Date(since).toISOString(), stormThreshold)
      // With shared state, one top-level digest per channel and interval across replicas (sharedDigest.ts).
      const { state } = options
      if (!state) return (await poster.post(channel, digest)).ts
      const shared = { store: state, owner, now, intervalMs: digestIntervalMs, poster, lookup, running: digestSlots, onUnverified }
      return postDigestOnce(shared, channel, digest)
    },
  })

  /**
   * Resolve the config's handles with usergroups.list (userGroupResolver.ts). Never a reason to stop: an unknown
   * handle, or a failing call, is a readiness warning, and the alert still posts with the handle as inert text.
   */
  function resolveHandles(handles: readonly string[]): Promise<void> {
    const run = resolver.resolve(handles).then((r) => {
      userGroups = r.groups
      mentionWarnings = [
        ...(r.error ? [`usergroups.list failed (${r.error}${r.error === 'missing_scope' ? ': add the usergroups:read scope' : ''}); mentions of user groups stay inert text`] : []),
        ...(r.unknown.length > 0 ? [`mention${r.unknown.length === 1 ? '' : 's'} not a Slack user group, shown as text and paging nobody: ${r.unknown.slice(0, 10).map((h) => `@${h}`).join(', ')}${r.unknown.length > 10 ? ` and ${r.unknown.length - 10} more` : ''}`] : []),
      ]
      options.onMentions?.(r)
    }, () => undefined)
    resolving = run
    return run
  }

  /** The target with its handles in Slack's syntax, as last resolved. */
  function resolvedTarget(target: Target): Target {
    const mention = resolveMentions(target.mention, userGroups)
    return mention ? { channel: target.channel, mention } : { channel: target.channel }
  }

  async function deliverNow(alert: Alert, target: Target): Promise<DeliveryOutcome> {
    const { channel } = target
    // In the channel's turn: a claim that waited past half its lease is renewed first (deliveryMemory.ts).
    const key = deliveries.key(alert, channel)
    const taken = await deliveries.confirm(key, channel)
    if (taken) return taken
    if (alert.dedup || alert.also?.some((f) => f.dedup)) return threads.deliver(alert, resolvedTarget(target), poster)
    const rendered = renderSlackSafely(alert, { mention: resolvedTarget(target).mention, actions: options.actions })
    return poster.postAlert(alert, channel, rendered, undefined, key).then((posted) => ({ status: 'posted', channel, ts: posted.ts }))
  }

  async function deliverToFallback(alert: Alert, failed: DeliveryError): Promise<void> {
    const fallback = fallbackChannel
    if (!fallback || fallback === failed.channel) return
    const key = deliveries.key(alert, fallback)
    if ((await deliveries.admit(key, fallback, 'fallback')).kind === 'delivered') return
    const notice = `Could not post to ${failed.channel} (${failed.code}); posted here instead. Fix the channel or invite the bot.`
    const posted = await queues.schedule(fallback, () => poster.postAlert(alert, fallback, renderSlackSafely(alert, { notice })))
      .catch(async (err: unknown) => {
        await deliveries.release(key, 'fallback').catch(() => undefined)
        throw err
      })
    await deliveries.markDelivered(key, { status: 'fallback', channel: fallback, ts: posted.ts }, 'fallback')
  }

  async function deliverOnce(alert: Alert, target: Target): Promise<DeliveryOutcome> {
    try {
      const digested = storms.offer(target.channel, alert)
      const outcome: DeliveryOutcome = digested
        ? { status: 'digested', channel: target.channel, ts: await digested }
        : await queues.schedule(target.channel, () => deliverNow(alert, target))
      health.channelDelivered(target.channel)
      options.onDelivered?.(target.channel)
      return outcome
    } catch (err) {
      if (err instanceof DeliveryError && err.kind === 'configuration') {
        health.channelFailed(err.channel, err.code)
        options.onConfigurationError?.(err.channel, err.code)
        await deliverToFallback(alert, err).catch(() => undefined)
      }
      throw err
    }
  }

  /**
   * One delivery under its idempotency key: claimed before posting (in the shared store when there is one), marked
   * delivered with Slack's ts after acceptance, released after a failure (deliveryMemory.ts); a duplicate is not posted
   * again; concurrent attempts in this process share one.
   */
  function keyed(alert: Alert, target: Target, send: () => Promise<DeliveryOutcome>, count: boolean): Promise<DeliveryOutcome> {
    const key = deliveries.key(alert, target.channel)
    const running = inFlight.get(key)
    if (running) return running
    const attempt = (async (): Promise<DeliveryOutcome> => {
      const admission = await deliveries.admit(key, target.channel)
      if (admission.kind === 'delivered') return { ...admission.outcome, status: 'duplicate' }
      if (admission.kind === 'claimed' && admission.earlier) {
        // A takeover: the earlier attempt may have posted before its process died. Look before posting; a failure to
        // look that may pass (429, 5xx) keeps the claim and the message returns later; one that will not, posts.
        const seen = await lookup.find(target.channel, key, admission.earlier, await threads.parentOf(alert, target.channel))
        if (seen.kind === 'found') {
          // A dedup group's parent the dead replica posted but never recorded: later matches reply under it.
          if (!seen.inThread) await threads.adopt(alert, resolvedTarget(target), { ts: seen.ts, channelId: seen.channelId })
          const found: DeliveryOutcome = { status: 'posted', channel: target.channel, ts: seen.ts }
          await deliveries.markDelivered(key, found).catch((err: unknown) => {
            options.onStateProblem?.('mark_failed', err instanceof Error ? err.message : String(err))
          })
          return { ...found, status: 'duplicate' }
        }
        if (seen.kind === 'unknown') onUnverified(seen.reason)
      }
      let outcome: DeliveryOutcome
      try {
        outcome = await send()
      } catch (err) {
        await deliveries.release(key).catch(() => undefined)
        throw err
      }
      // Slack accepted it: the message is acked even if the store cannot record that now (a repeat is possible
      // only if another replica receives the same message, which an ack prevents).
      await deliveries.markDelivered(key, outcome).catch((err: unknown) => {
        options.onStateProblem?.('mark_failed', err instanceof Error ? err.message : String(err))
      })
      if (count) metrics.delivered?.(target.channel, outcome.status)
      return outcome
    })().finally(() => inFlight.delete(key))
    inFlight.set(key, attempt)
    return attempt
  }

  /**
   * A grouped alert (every rule one event matched for this channel): the findings whose dedup thread is live reply in
   * their own threads, one reply each; the others go out as one new message, which becomes the thread of those with
   * a dedup key. Each part is a delivery of its own (its own key), so a redelivery after a part failed posts only
   * what is missing; the whole is remembered too, so a redelivery after success posts nothing, even once the parts
   * would now split differently (the new message's threads are live by then).
   */
  async function deliverGrouped(alert: Alert, target: Target): Promise<DeliveryOutcome> {
    const findings = findingsOf(alert)
    const live = await Promise.all(findings.map(async (f) => (f.dedup ? threads.live(target.channel, f.ruleId, f.dedup.key) : false)))
    const threaded = findings.filter((_, i) => live[i])
    // No live thread: the whole alert is the one part, under the key deliver() already holds.
    if (threaded.length === 0) {
      const outcome = await deliverOnce(alert, target)
      metrics.delivered?.(target.channel, outcome.status)
      return outcome
    }
    const fresh = findings.filter((f) => !threaded.includes(f))
    const parts = [...threaded.map((f) => withFindings(alert, [f])), ...(fresh.length > 0 ? [withFindings(alert, fresh)] : [])]
    const outcomes = await Promise.all(parts.map((part) => keyed(part, target, () => deliverOnce(part, target), true)))
    const last = outcomes.at(-1)
    if (!last) throw new DeliveryError('retryable', target.channel, 'no_findings', 'a grouped alert had no findings')
    return last
  }

  function onUnverified(reason: string): void {
    options.onStateProblem?.('unverified', `a takeover posted without finding out whether the earlier attempt had: ${reason}`)
  }

  function status(): ComponentStatus {
    const s = health.status()
    const warnings = [...(s.warnings ?? []), ...mentionWarnings]
    return warnings.length > 0 ? { ...s, warnings } : s
  }

  return {
    name: 'slack',
    deliver(alert, target) {
      if (alert.also && alert.also.length > 0) return keyed(alert, target, () => deliverGrouped(alert, target), false)
      return keyed(alert, target, () => deliverOnce(alert, target), true)
    },
    configure(settings) {
      void resolveHandles(settings.mentionHandles ?? [])
      fallbackChannel = settings.fallbackChannel
      stormThreshold = settings.stormThreshold
      storms.configure({ threshold: settings.stormThreshold })
      queues.configure({ intervalMs: 1000 / settings.perChannelPerSecond })
    },
    async verify() {
      try {
        // Only whether the token works is kept: auth.test also names the workspace and the bot, which /readyz must not.
        const who = await client.auth.test()
        botId = who.bot_id
        health.authChecked({ ok: true })
      } catch (err) {
        health.authChecked({ ok: false, code: classifySlackError(err).code })
      }
      await resolving
      return status()
    },
    status: () => status(),
    memory: () => ({ deliveries: deliveries.bytes, threads: threads.bytes, storms: storms.bytes }),
    async close() {
      const idle = queues.close()
      storms.abandon(new DeliveryError('retryable', '*', 'shutting_down', 'trailwarden is shutting down; the message returns to the queue'))
      await idle
    },
  }
}
