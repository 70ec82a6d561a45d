import { startEmbeddedSqs } from '../src/local/embeddedSqs.js'

// fauxqs in a process of its own, as SQS is a remote service: the consumer under test gets its own event loop.
const sqs = await startEmbeddedSqs()
process.send?.({ endpoint: sqs.endpoint })
process.once('disconnect', () => void sqs.stop().then(() => process.exit(0)))
