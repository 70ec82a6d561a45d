import type { EcsContext } from '../intake/types.js'
import { wellFormed } from './asText.js'

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/

/** The console host for a region's partition: commercial, GovCloud or China. */
function consoleHost(region: string): string {
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`
  return `${region}.console.aws.amazon.com`
}

/**
 * One URL path segment. encodeURIComponent throws URIError on a lone surrogate ("\ud800" is legal in JSON), so the
 * text is made well-formed first (the surrogate becomes U+FFFD); a value that is not a string gives no segment.
 */
const seg = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? encodeURIComponent(wellFormed(value)) : undefined)

export interface ConsoleLinks { cloudtrail?: string, ecs?: string }

/**
 * Console links for an alert: the event in CloudTrail's event history (by event id, in its region) and the ECS
 * console page of the service, cluster or task definition. Every event-derived part is URL-encoded; a region that
 * is not shaped like one gives no links at all. Total: any value in any field gives links or none, never a throw.
 */
export function consoleLinks(region: unknown, eventId: unknown, ecs: EcsContext | undefined): ConsoleLinks {
  if (typeof region !== 'string' || !REGION.test(region)) return {}
  const base = `https://${consoleHost(region)}`
  const q = `?region=${region}`
  const links: ConsoleLinks = {}
  const event = seg(eventId)
  if (event) links.cloudtrail = `${base}/cloudtrailv2/home${q}#/events/${event}`
  const cluster = seg(ecs?.cluster)
  const service = seg(ecs?.service)
  const taskDefinition = typeof ecs?.taskDefinition === 'string' ? ecs.taskDefinition : undefined
  if (cluster && service) links.ecs = `${base}/ecs/v2/clusters/${cluster}/services/${service}/health${q}`
  else if (taskDefinition?.includes(':')) {
    const [family, revision] = taskDefinition.split(':')
    const f = seg(family)
    const r = seg(revision)
    if (f && r) links.ecs = `${base}/ecs/v2/task-definitions/${f}/${r}/containers${q}`
  } else if (cluster) links.ecs = `${base}/ecs/v2/clusters/${cluster}/services${q}`
  return links
}
