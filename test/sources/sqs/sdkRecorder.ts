import type { SQSClient } from '@aws-sdk/client-sqs'

/** One request the real SDK client sent, as the command's input, with the answer or the error's name. */
export interface SentRequest {
  command: string
  input: Record<string, unknown>
  output?: Record<string, unknown>
  error?: string
}

/**
 * Record every request a real @aws-sdk/client-sqs client sends, with a middleware on its own stack
 * (`client.middlewareStack.add`): the requests still go to the emulator; nothing is replaced.
 * `hold(command)` makes requests of that command wait until the returned function is called.
 */
export function recordRequests(client: SQSClient) {
  const sent: SentRequest[] = []
  const holds = new Map<string, Promise<void>>()
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request: SentRequest = { command: String(context.commandName).replace(/Command$/, ''), input: structuredClone(args.input) as Record<string, unknown> }
      sent.push(request)
      await holds.get(request.command)
      try {
        const result = await next(args)
        request.output = result.output as unknown as Record<string, unknown>
        return result
      } catch (err) {
        request.error = err instanceof Error ? err.name : String(err)
        throw err
      }
    },
    { step: 'initialize', name: 'recordRequests' },
  )
  return {
    sent,
    of: (command: string) => sent.filter((r) => r.command === command),
    hold(command: string): () => void {
      const { promise, open } = gate()
      holds.set(command, promise)
      return () => {
        holds.delete(command)
        open()
      }
    },
  }
}

/** Entry Ids of a batch request, to check they are distinct. */
export const entryIds = (r: SentRequest): string[] => ((r.input.Entries ?? []) as Array<{ Id: string }>).map((e) => e.Id)

/** A promise and the function that resolves it (Promise.withResolvers is Node 22). */
export function gate(): { promise: Promise<void>, open: () => void } {
  let open: () => void = () => undefined
  const promise = new Promise<void>((resolve) => { open = resolve })
  return { promise, open: () => { open() } }
}
