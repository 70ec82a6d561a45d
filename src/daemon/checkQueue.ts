import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs'

export interface QueueFacts {
  /** The redrive policy's maxReceiveCount, when the queue has one. */
  maxReceiveCount?: number
  /** The queue's VisibilityTimeout in seconds: messages in work must be extended well before it runs out. */
  visibilityTimeoutSeconds?: number
  /** Problems that make the daemon refuse to start: it could never receive a message. */
  problems: string[]
  /** Worth saying, not worth refusing over. */
  warnings: string[]
}

const codeOf = (err: unknown): string => {
  const e = err as { name?: string, Code?: string, code?: string, cause?: { code?: string } }
  return e.Code ?? e.name ?? e.code ?? e.cause?.code ?? 'Error'
}

/**
 * Before polling: can this queue be read at all? GetQueueAttributes answers that (and tells maxReceiveCount for the
 * DLQ accounting). A queue that does not exist, an endpoint that cannot be reached, no region or no credentials will
 * never work, so start refuses with the reason instead of looping on warnings with /healthz green. Access denied to
 * GetQueueAttributes alone is a warning: ReceiveMessage may still be allowed.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 */
export async function checkQueue(sqs: SQSClient, queueUrl: string, timeoutMs = 15_000): Promise<QueueFacts> {
  const facts: QueueFacts = { problems: [], warnings: [] }
  try {
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] }),
      { abortSignal: AbortSignal.timeout(timeoutMs) },
    )
    const visibility = Number(attrs.Attributes?.VisibilityTimeout)
    if (Number.isFinite(visibility) && visibility > 0) facts.visibilityTimeoutSeconds = visibility
    const policy = attrs.Attributes?.RedrivePolicy
    if (policy) {
      try {
        const count = Number((JSON.parse(policy) as { maxReceiveCount?: unknown }).maxReceiveCount)
        if (Number.isInteger(count) && count > 0) facts.maxReceiveCount = count
      } catch {
        facts.warnings.push('the queue\'s RedrivePolicy is not JSON; dead-letter accounting is off')
      }
    } else facts.warnings.push('the queue has no redrive policy: unreadable messages will never reach a dead-letter queue')
  } catch (err) {
    const code = codeOf(err)
    const message = err instanceof Error ? err.message : String(err)
    if (/QueueDoesNotExist|NonExistentQueue/.test(code)) facts.problems.push(`TRAILWARDEN_QUEUE_URL: the queue ${queueUrl} does not exist (${code}) — check the URL, the account and the region`)
    else if (/AccessDenied|Unauthorized|Forbidden/i.test(code)) facts.warnings.push(`GetQueueAttributes was denied (${code}); dead-letter accounting is off — allow sqs:GetQueueAttributes to the task role`)
    else if (/region is missing/i.test(message)) facts.problems.push('AWS_REGION is not set and cannot be read from TRAILWARDEN_QUEUE_URL — set AWS_REGION to the queue\'s region')
    else if (/credential/i.test(message) || /CredentialsProviderError|InvalidClientTokenId|UnrecognizedClient|ExpiredToken/.test(code)) facts.problems.push(`no usable AWS credentials for SQS (${code}) — give the task a role, or set the SDK's credential variables`)
    else if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError|AbortError|EHOSTUNREACH/.test(`${code} ${message}`)) facts.problems.push(`cannot reach the SQS endpoint for ${queueUrl} (${code}) — check AWS_ENDPOINT_URL_SQS, the network path (VPC endpoint, NAT) and the region`)
    else facts.problems.push(`GetQueueAttributes on ${queueUrl} failed: ${code}: ${message.slice(0, 200)} — check TRAILWARDEN_QUEUE_URL and the task role`)
  }
  return facts
}
