import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * SHA-256 of text, as hex, cut to `hexChars`. The core stays free of node:crypto (it must run anywhere a rule set is
 * evaluated, and lint keeps it free of Node's I/O modules); @noble/hashes is audited pure JavaScript. It is called
 * only off the hot path: once per rule-set load, and once per matched event (an alert's record digest).
 */
export function sha256Hex(text: string, hexChars = 64): string {
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, hexChars)
}
