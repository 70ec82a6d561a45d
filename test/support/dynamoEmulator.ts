import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll } from 'vitest'
import { createDynamoClient } from '../../src/commands/clients.js'
import { LOCAL_CREDENTIALS } from '../../src/local/embeddedSqs.js'

export interface DynamoEmulator {
  /** e.g. http://127.0.0.1:43121: AWS_ENDPOINT_URL_DYNAMODB for a child process, `endpoint` for a client. */
  readonly endpoint: string
  readonly region: string
  client(): DynamoDBClient
  /** A new table with trailwarden's layout (partition key pk, a string); returns its name. */
  createTable(name?: string): Promise<string>
  /** Stop answering (connections refused), keeping the data: the outage tests. */
  pause(): Promise<void>
  /** Listen again on the same port, with the same data. */
  resume(): Promise<void>
  stop(): Promise<void>
}

let tables = 0

/**
 * dynalite (DynamoDB in pure JavaScript, in memory) on 127.0.0.1 and a free port. It honours conditional writes but
 * has no TTL (UpdateTimeToLive is unknown to it), so expiry is tested through expiresAt with an injected clock.
 * The server is closed and listened again on the same port for outages: its in-memory tables survive that.
 */
export async function startDynamoEmulator(): Promise<DynamoEmulator> {
  // dynalite ships no types; its one export is a function that returns an http.Server (https://github.com/architect/dynalite#readme).
  const specifier = 'dynalite'
  type Dynalite = (o: { createTableMs: number, deleteTableMs: number, updateTableMs: number }) => http.Server
  const { default: dynalite } = (await import(specifier)) as { default: Dynalite }
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`
  const region = 'us-east-1'
  const client = createDynamoClient(region, { endpoint, credentials: LOCAL_CREDENTIALS })
  let listening = true
  const close = async () => {
    if (!listening) return
    listening = false
    // http.Server's own close: dynalite's close() also closes its database, and a listen() after it starts empty.
    await new Promise<void>((resolve) => {
      http.Server.prototype.close.call(server, () => { resolve() })
      server.closeAllConnections()
    })
  }
  const resume = async () => {
    if (listening) return
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    listening = true
  }
  return {
    endpoint,
    region,
    client: () => client,
    async createTable(name = `trailwarden-state-${process.pid}-${++tables}`) {
      await client.send(new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }))
      for (;;) {
        const t = await client.send(new DescribeTableCommand({ TableName: name }))
        if (t.Table?.TableStatus === 'ACTIVE') return name
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    pause: close,
    resume,
    async stop() {
      await resume()
      listening = false
      await new Promise<void>((resolve) => {
        server.close(() => { resolve() })
        server.closeAllConnections()
      })
      client.destroy()
    },
  }
}

/** The emulator for the calling test file: started before its tests, stopped after. */
export function useDynamoEmulator(): () => DynamoEmulator {
  let dynamo: DynamoEmulator | undefined
  beforeAll(async () => {
    dynamo = await startDynamoEmulator()
  })
  afterAll(async () => {
    await dynamo?.stop()
  })
  return () => {
    if (!dynamo) throw new Error('useDynamoEmulator(): the emulator is not started yet (use it inside a test)')
    return dynamo
  }
}
