import PQueue from 'p-queue'
import { FileReadError } from '../errors.js'

export type ReadResult = { text: string } | { error: FileReadError }

/** Files read at once: enough to hide a network volume's latency, few enough to stay far from the open-file limit. */
const CONCURRENCY = 8

/** Read every path (each once), never rejecting: each path maps to its text or to why it could not be read. */
export async function readFiles(paths: Iterable<string>, readText: (path: string) => Promise<string>): Promise<Map<string, ReadResult>> {
  const unique = [...new Set(paths)]
  const queue = new PQueue({ concurrency: CONCURRENCY })
  const results = await queue.addAll(unique.map((path) => async (): Promise<[string, ReadResult]> => {
    try {
      return [path, { text: await readText(path) }]
    } catch (err) {
      return [path, { error: FileReadError.from(path, err) }]
    }
  }))
  return new Map(results)
}
