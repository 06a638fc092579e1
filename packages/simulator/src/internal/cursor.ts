/**
 * The simulator's opaque cursors: a position and a fingerprint of the query
 * they belong to, as base64url JSON. A cursor decodes only for the query it
 * was issued for.
 *
 * Edition-neutral: no `effect` import, so both editions' simulators serve the
 * same cursors from this one source. The base64url codec follows effect 3's
 * `Encoding.encodeBase64Url` / `Encoding.decodeBase64UrlString` exactly (no
 * padding on the way out; on the way in, padding optional, CR/LF ignored, any
 * other character outside the alphabet refused).
 */
import { hashString } from "./random.js"

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const CODES = new Map([...ALPHABET].map((char, i) => [char, i] as const))

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Base64 (standard alphabet, padded) of some bytes. */
const encodeBase64 = (bytes: Uint8Array): string => {
  let out = ""
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  if (i + 1 === bytes.length) {
    const n = bytes[i]! << 16
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + "=="
  } else if (i + 2 === bytes.length) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + "="
  }
  return out
}

/** The UTF-8 text of `text` in base64url, without padding. */
export const encodeBase64Url = (text: string): string =>
  encodeBase64(encoder.encode(text)).replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_")

/** The text a base64url string holds (invalid UTF-8 becomes U+FFFD), or `undefined` when it is no base64url. */
export const decodeBase64Url = (input: string): string | undefined => {
  const stripped = input.replace(/[\n\r]/g, "")
  const length = stripped.length
  if (length % 4 === 1 || !/^[-_A-Z0-9]*?={0,2}$/i.test(stripped)) return undefined
  const padded = (length % 4 === 2 ? `${stripped}==` : length % 4 === 3 ? `${stripped}=` : stripped)
    .replace(/-/g, "+")
    .replace(/_/g, "/")
  if (padded.length % 4 !== 0) return undefined
  const equals = padded.indexOf("=")
  if (
    equals !== -1 &&
    (equals < padded.length - 2 || (equals === padded.length - 2 && padded[padded.length - 1] !== "="))
  ) {
    return undefined
  }
  const missing = padded.endsWith("==") ? 2 : padded.endsWith("=") ? 1 : 0
  const bytes = new Uint8Array(3 * (padded.length / 4) - missing)
  const code = (char: string | undefined) => (char === "=" ? 0 : CODES.get(char!)!)
  for (let i = 0, j = 0; i < padded.length; i += 4, j += 3) {
    const n = (code(padded[i]) << 18) | (code(padded[i + 1]) << 12) | (code(padded[i + 2]) << 6) |
      code(padded[i + 3])
    bytes[j] = n >> 16
    if (j + 1 < bytes.length) bytes[j + 1] = (n >> 8) & 0xff
    if (j + 2 < bytes.length) bytes[j + 2] = n & 0xff
  }
  return decoder.decode(bytes)
}

/** The cursor of `position` in the query whose fingerprint is `fingerprint`. */
export const encode = (position: number, fingerprint: string): string =>
  encodeBase64Url(JSON.stringify({ p: position, f: hashString(fingerprint) }))

/** The position a cursor holds, or `undefined` when it is no cursor of the query whose fingerprint is `fingerprint`. */
export const decode = (cursor: string, fingerprint: string): number | undefined => {
  const text = decodeBase64Url(cursor)
  if (text === undefined) return undefined
  try {
    const parsed = JSON.parse(text)
    return parsed?.f === hashString(fingerprint) && Number.isSafeInteger(parsed?.p) ? parsed.p : undefined
  } catch {
    return undefined
  }
}
