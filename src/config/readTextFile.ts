import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { FileReadError } from '../errors.js'

/** The largest file trailwarden reads (a rule file, a test event, the config). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024

/**
 * A file's text, or a FileReadError saying why not. Opened without blocking and checked to be a regular file
 * before reading: a FIFO named x.yaml would otherwise block the read (and a libuv thread) until something writes
 * to it, and /dev/zero behind a symlink would never end.
 */
export async function readTextFile(path: string, maxBytes = MAX_FILE_BYTES): Promise<string> {
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    throw FileReadError.from(path, err)
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw new FileReadError(path, 'NOT_A_FILE', `it is ${kindOf(stats)}, not a regular file`)
    if (stats.size > maxBytes) throw new FileReadError(path, 'TOO_LARGE', `it holds ${stats.size} bytes, more than ${maxBytes}`)
    return await handle.readFile('utf8')
  } catch (err) {
    throw FileReadError.from(path, err)
  } finally {
    // Closing a read-only descriptor cannot lose data; its failure would only hide the real error.
    await handle.close().catch(() => undefined)
  }
}

function kindOf(stats: { isDirectory(): boolean, isFIFO(): boolean, isSocket(): boolean, isCharacterDevice(): boolean, isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'a folder'
  if (stats.isFIFO()) return 'a FIFO (named pipe)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  return 'not a file'
}
