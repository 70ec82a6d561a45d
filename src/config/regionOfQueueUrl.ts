/**
 * The region named by an SQS queue URL's host, or undefined. The hosts AWS documents for SQS
 * (https://docs.aws.amazon.com/general/latest/gr/sqs-service.html): sqs.REGION.amazonaws.com, sqs-fips.REGION…,
 * the dual-stack sqs.REGION.api.aws, China's ….amazonaws.com.cn; interface VPC endpoints
 * (vpce-….sqs.REGION.vpce.amazonaws.com); and the legacy REGION.queue.amazonaws.com and queue.amazonaws.com
 * (us-east-1) that older queues and SDKs still return.
 */
export function regionOfQueueUrl(url: string): string | undefined {
  let host: string
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined
    host = parsed.hostname
  } catch {
    return undefined
  }
  const current = /^(?:[a-z0-9-]+\.)?sqs(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?(?:amazonaws\.com(?:\.cn)?|api\.aws)$/.exec(host)
  if (current) return current[1]
  const legacy = /^([a-z]{2}(?:-[a-z]+)+-\d+)\.queue\.amazonaws\.com(?:\.cn)?$/.exec(host)
  if (legacy) return legacy[1]
  return host === 'queue.amazonaws.com' ? 'us-east-1' : undefined
}
