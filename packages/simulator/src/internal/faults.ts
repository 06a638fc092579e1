/**
 * Which request gets which injected fault, and the server-side rate limit:
 * counts per rule, seeded draws, and token buckets per API key.
 *
 * Edition-neutral: no `effect` import (instants and intervals are
 * milliseconds), so both editions' simulators pick the same faults for the
 * same seed and requests from this one source. The fault itself is opaque
 * here (each edition's `Fault` type).
 */
import { hash } from "./random.js"

/** A fault rule (each edition's `FaultRule`, with its own `Fault`). */
export interface Rule<Fault> {
  readonly fault: Fault
  readonly route?: string | undefined
  readonly requests?: ReadonlyArray<number> | undefined
  readonly probability?: number | undefined
  readonly times?: number | undefined
}

/**
 * The fault rules of a simulator of `seed`: `choose` counts a request to a
 * route and returns the fault it gets, if any (the first rule that hits);
 * `replace` swaps the rules and restarts their counts.
 */
export const makeFaultChooser = <Fault>(seed: number, rules: ReadonlyArray<Rule<Fault>>) => {
  let current = rules
  let counts = new Map<string, number>()
  let injections = new Map<Rule<Fault>, number>()
  return {
    choose: (route: string | undefined): Fault | undefined => {
      for (const [index, rule] of current.entries()) {
        if (rule.route !== undefined && rule.route !== route) continue
        const key = `${index}:${rule.route ?? "*"}`
        const nth = (counts.get(key) ?? 0) + 1
        counts.set(key, nth)
        if (rule.times !== undefined && (injections.get(rule) ?? 0) >= rule.times) continue
        const hit = rule.requests !== undefined
          ? rule.requests.includes(nth)
          : hash(seed, 0x5eed, index, nth) / 4294967296 < (rule.probability ?? 1)
        if (hit) {
          injections.set(rule, (injections.get(rule) ?? 0) + 1)
          return rule.fault
        }
      }
      return undefined
    },
    replace: (next: ReadonlyArray<Rule<Fault>>): void => {
      current = next
      counts = new Map()
      injections = new Map()
    }
  }
}

/**
 * The probability of each of `count` rules so that `rate` of all requests get
 * a fault, spread evenly: rule i sees only what the rules before it let
 * through, so the shares add up to `rate`.
 */
export const mixProbabilities = (rate: number, count: number): ReadonlyArray<number> =>
  Array.from({ length: count }, (_, i) => rate / count / (1 - (rate * i) / count))

/**
 * Token buckets per API key, each holding `limit` tokens refilled evenly over
 * `intervalMillis`: `take` spends one at `now` (epoch milliseconds) and
 * returns `undefined`, or the seconds to wait (the `Retry-After`) when the
 * bucket is empty.
 */
export const makeTokenBuckets = (limit: { readonly limit: number; readonly intervalMillis: number }) => {
  const perMs = limit.intervalMillis / limit.limit
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take: (apiKey: string, now: number): number | undefined => {
      const bucket = buckets.get(apiKey) ?? { tokens: limit.limit, at: now }
      bucket.tokens = Math.min(limit.limit, bucket.tokens + (now - bucket.at) / perMs)
      bucket.at = now
      buckets.set(apiKey, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return undefined
      }
      return Math.max(1, Math.ceil(((1 - bucket.tokens) * perMs) / 1000))
    }
  }
}
