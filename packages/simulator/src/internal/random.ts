/**
 * Deterministic randomness and opaque, reversible ids for the simulator: every
 * value is a pure function of the seed and the entity's indices, so nothing
 * has to be stored and the same seed always gives the same dataset.
 */

/** A 32-bit hash of the seed and up to four integers (murmur3-style mixing). */
export const hash = (seed: number, a: number, b = 0, c = 0, d = 0): number => {
  let h = (seed ^ 0x9e3779b9) >>> 0
  h = mix(h, a)
  h = mix(h, b)
  h = mix(h, c)
  h = mix(h, d)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const mix = (h: number, k: number): number => {
  let x = Math.imul(k | 0, 0xcc9e2d51)
  x = (x << 15) | (x >>> 17)
  x = Math.imul(x, 0x1b873593)
  h ^= x
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/** A number in [0, 1) for the given seed and indices. */
export const uniform = (seed: number, a: number, b = 0, c = 0, d = 0): number => hash(seed, a, b, c, d) / 4294967296

/** An integer in [0, n). */
export const below = (n: number, seed: number, a: number, b = 0, c = 0, d = 0): number =>
  Math.floor(uniform(seed, a, b, c, d) * n)

/** One element of a non-empty array. */
export const pick = <A>(items: ReadonlyArray<A>, seed: number, a: number, b = 0, c = 0, d = 0): A =>
  items[below(items.length, seed, a, b, c, d)]!

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const CROCKFORD_INDEX = new Map([...CROCKFORD].map((char, i) => [char, i]))
const HALF = 2 ** 25
const ROUNDS = 4

const feistelRound = (key: number, round: number, half: number) => hash(key, round, half) % HALF

/** A keyed permutation of [0, 2^50): indices look random, and invert exactly. */
const permute = (key: number, n: number): number => {
  let left = Math.floor(n / HALF)
  let right = n % HALF
  for (let round = 0; round < ROUNDS; round++) {
    const next = (left + feistelRound(key, round, right)) % HALF
    left = right
    right = next
  }
  return left * HALF + right
}

const unpermute = (key: number, n: number): number => {
  let left = Math.floor(n / HALF)
  let right = n % HALF
  for (let round = ROUNDS - 1; round >= 0; round--) {
    const previous = (right - feistelRound(key, round, left) + HALF) % HALF
    right = left
    left = previous
  }
  return left * HALF + right
}

/** The most a single id can encode. */
export const ID_SPACE = 2 ** 50

/**
 * Ids shaped like the API's (`chat_01HXYZ…`: a prefix and 26 Crockford base32
 * characters) that encode an index: 10 characters carry the permuted index,
 * 16 more a checksum, so an id that was never issued is told apart from a
 * malformed one.
 */
export const makeIdCodec = (prefix: string, seed: number, salt: number) => {
  const key = hash(seed, salt)
  const pattern = new RegExp(`^${prefix}_[${CROCKFORD}]{26}$`)
  const checksum = (n: number): string => {
    let out = ""
    for (let i = 0; i < 4; i++) {
      let h = hash(key, Math.floor(n / HALF), n % HALF, i)
      for (let j = 0; j < 4; j++) {
        out += CROCKFORD[h & 31]
        h >>>= 5
      }
    }
    return out
  }
  return {
    /** The id of index `n` (0 ≤ n < 2^50). */
    encode: (n: number): string => {
      let p = permute(key, n)
      let body = ""
      for (let i = 0; i < 10; i++) {
        body = CROCKFORD[p % 32] + body
        p = Math.floor(p / 32)
      }
      return `${prefix}_${body}${checksum(n)}`
    },
    /** Whether `id` has the shape of this kind of id at all. */
    isWellFormed: (id: string): boolean => pattern.test(id),
    /** The index an id encodes, or `undefined` for one that was never issued. */
    decode: (id: string): number | undefined => {
      if (!pattern.test(id)) return undefined
      let p = 0
      for (const char of id.slice(prefix.length + 1, prefix.length + 11)) p = p * 32 + CROCKFORD_INDEX.get(char)!
      if (p >= ID_SPACE) return undefined
      const n = unpermute(key, p)
      return checksum(n) === id.slice(prefix.length + 11) ? n : undefined
    }
  }
}

/** A provider-style token of `length` characters from `alphabet`. */
export const token = (alphabet: string, length: number, seed: number, a: number, b = 0, c = 0): string => {
  let out = ""
  for (let i = 0; i < length; i++) out += alphabet[hash(seed, a, b, c, i) % alphabet.length]
  return out
}

/** Alphabets for provider ids. */
export const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
export const DIGITS = "0123456789"
export const HEX = "0123456789abcdef"

/** A 32-bit FNV-1a hash of a string, in base 36. */
export const hashString = (text: string): string => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(36)
}
