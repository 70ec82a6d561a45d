import Fastify, { type FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import type { Readiness } from '../daemon/readiness.js'

export interface ServerDeps {
  readiness: Readiness
  registry: Registry
  /** When the poll loop last went round; /healthz fails when it stalls. */
  loopAlive: () => { ok: boolean, detail: string }
  now?: () => number
  onReadyChange?: (ready: boolean) => void
}

/** The HTTP face of the daemon, built in a function so tests use inject() and only `run` listens. */
export function buildServer({ readiness, registry, loopAlive, now = Date.now, onReadyChange }: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: false })
  app.get('/healthz', async (_req, reply) => {
    const loop = loopAlive()
    return reply.code(loop.ok ? 200 : 503).send({ ok: loop.ok, loop: loop.detail })
  })
  app.get('/readyz', async (_req, reply) => {
    const report = readiness.report(now())
    onReadyChange?.(report.ready)
    return reply.code(report.ready ? 200 : 503).send(report)
  })
  app.get('/metrics', async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()))
  return app
}
