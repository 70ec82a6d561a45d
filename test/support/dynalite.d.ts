/** dynalite ships no types: the one call the tests make (https://github.com/architect/dynalite#readme). */
declare module 'dynalite' {
  import type { Server } from 'node:http'
  export default function dynalite(options?: { createTableMs?: number, deleteTableMs?: number, updateTableMs?: number, path?: string }): Server
}
