/**
 * The number of bytes `text` takes in UTF-8, counted without encoding it (the core stays free of Node's Buffer) and
 * stopping as soon as the count passes `stopAbove`. A lone surrogate counts 3 bytes, as the encoder writes U+FFFD for it
 * (the WHATWG Encoding Standard's UTF-8 encoder, which Buffer and TextEncoder follow).
 */
export function utf8Length(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4 // a surrogate pair: one code point over U+FFFF
      i++
    } else bytes += 3
    if (bytes > stopAbove) return bytes
  }
  return bytes
}
