import { createServer } from 'node:http'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import type { ReadinessReport } from '../health/composeReadiness.js'

export interface ServerDeps {
  /** The composed readiness of the daemon's components (health/composeReadiness.ts). */
  readiness: () => ReadinessReport
  /** Whether the poll loop still goes round; /healthz fails when it stalls. */
  liveness: () => { ok: boolean, detail: string }
  registry: Registry
  onReadyChange?: (ready: boolean) => void
  /** How long one request may take from its first byte, and an idle connection may stay silent (ms). */
  requestTimeoutMs?: number
}

/**
 * The HTTP face of the daemon, built in a function so tests use inject() and only `run` listens. Only GETs are
 * served, so a body is refused past 1 KiB, and a request dripped slowly (or a connection held open) is cut after
 * requestTimeoutMs. Node enforces requestTimeout and headersTimeout only when it sweeps its connections, every
 * connectionsCheckingInterval (30 s by default: https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener),
 * so the server is built here with a sweep at a tenth of the timeout; connectionTimeout cuts idle sockets.
 */
export function buildServer({ readiness, liveness, registry, onReadyChange, requestTimeoutMs = 10_000 }: ServerDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 1024,
    connectionTimeout: requestTimeoutMs,
    return503OnClosing: true,
    serverFactory: (handler) => createServer({
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.round(requestTimeoutMs / 10))),
    }, handler),
  })
  app.get('/healthz', async (_req, reply) => {
    const loop = liveness()
    return reply.code(loop.ok ? 200 : 503).send({ ok: loop.ok, loop: loop.detail })
  })
  app.get('/readyz', async (_req, reply) => {
    const report = readiness()
    onReadyChange?.(report.ready)
    return reply.code(report.ready ? 200 : 503).send(report)
  })
  app.get('/metrics', async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()))
  return app
}
