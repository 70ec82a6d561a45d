import type { EcsContext } from '../intake/types.js'

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/

/** The console host for a region's partition: commercial, GovCloud or China. */
function consoleHost(region: string): string {
  if (region.startsWith('us-gov-')) return `${region}.console.amazonaws-us-gov.com`
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`
  return `${region}.console.aws.amazon.com`
}

const seg = encodeURIComponent

export interface ConsoleLinks { cloudtrail?: string, ecs?: string }

/**
 * Console links for an alert: the event in CloudTrail's event history (by event id, in its region) and the ECS
 * console page of the service, cluster or task definition. Every event-derived part is URL-encoded; a region that
 * is not shaped like one gives no links at all.
 */
export function consoleLinks(region: string | undefined, eventId: string | undefined, ecs: EcsContext): ConsoleLinks {
  if (!region || !REGION.test(region)) return {}
  const base = `https://${consoleHost(region)}`
  const q = `?region=${region}`
  const links: ConsoleLinks = {}
  if (eventId) links.cloudtrail = `${base}/cloudtrailv2/home${q}#/events/${seg(eventId)}`
  if (ecs.cluster && ecs.service) links.ecs = `${base}/ecs/v2/clusters/${seg(ecs.cluster)}/services/${seg(ecs.service)}/health${q}`
  else if (ecs.taskDefinition?.includes(':')) {
    const [family, revision] = ecs.taskDefinition.split(':')
    links.ecs = `${base}/ecs/v2/task-definitions/${seg(family!)}/${seg(revision!)}/containers${q}`
  } else if (ecs.cluster) links.ecs = `${base}/ecs/v2/clusters/${seg(ecs.cluster)}/services${q}`
  return links
}
