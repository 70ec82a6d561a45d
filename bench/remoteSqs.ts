import { fork } from 'node:child_process'
import { type EmbeddedSqs, emulatorAt } from '../src/local/embeddedSqs.js'

/**
 * fauxqs started in a child process on loopback (bench/fauxqsChild.ts), behind the same interface as the
 * embedded one. With the emulator on the consumer's own event loop, P3 and P4 measured the emulator's CPU as
 * much as the consumer's; a real queue is on another machine.
 */
export async function startRemoteSqs(): Promise<EmbeddedSqs> {
  const child = fork(new URL('./fauxqsChild.js', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { endpoint: string }) => { resolve(m.endpoint) })
    child.once('exit', (code) => { reject(new Error(`fauxqs child exited with ${String(code)}`)) })
  })
  return emulatorAt(endpoint, 'us-east-1', async () => {
    const exited = new Promise((r) => child.once('exit', r))
    child.disconnect()
    await exited
  })
}
