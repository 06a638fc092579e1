/**
 * B6 chaos: what one run of the SDK's message stream through the simulator's
 * fault mix delivered, judged against the simulator's dataset (the same seed
 * gives the same dataset in this process as in the simulator's), and the
 * summary and Markdown of all runs. `run.ts` starts the simulator and the SDK.
 */
import { PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import type { Ending } from "./clients/driver.js"

/** One run of B6. */
export interface ChaosRun {
  readonly run: number
  /** The simulator's seed: its dataset and its fault draws. */
  readonly seed: number
  readonly completed: boolean
  /** When not completed: the error's tag (or `defect` / `interrupted`) and the pages its `resume` says were emitted. */
  readonly error?: { readonly tag: string; readonly resumePages: number | undefined } | undefined
  readonly expected: number
  readonly received: number
  /** Expected messages not received: expected − distinct received (for a failed run, what a resume still has to fetch). */
  readonly lost: number
  /** Received more than once: received − distinct. */
  readonly duplicated: number
  /** Every message received is the one the API lists at its position (newest first); a failed run's prefix counts. */
  readonly inOrder: boolean
  readonly wallSeconds: number
}

/** The ids a chat of `messages` messages lists, newest first, for the simulator of `seed` (chat 0). */
export const expectedIds = (seed: number, messages: number): Promise<{ chatId: string; ids: ReadonlyArray<string> }> =>
  Effect.runPromise(Effect.scoped(Effect.map(
    PostpressSimulator.make({ seed, chats: 1, messagesPerChat: messages }),
    ({ dataset }) => ({
      chatId: dataset.chatId(0),
      ids: Array.from(
        { length: dataset.messageCount(0) },
        (_, i) => dataset.messageId(0, dataset.messageCount(0) - 1 - i)
      )
    })
  )))

/** Judges a run: what it received against what the chat holds. */
export const judge = (
  run: { readonly run: number; readonly seed: number; readonly wallSeconds: number },
  expected: ReadonlyArray<string>,
  received: ReadonlyArray<string>,
  ending: Ending
): ChaosRun => {
  const distinct = new Set(received)
  return {
    ...run,
    completed: ending.completed,
    error: ending.completed ? undefined : { tag: ending.tag ?? "defect", resumePages: ending.resumePages },
    expected: expected.length,
    received: received.length,
    lost: expected.filter((id) => !distinct.has(id)).length,
    duplicated: received.length - distinct.size,
    inOrder: received.every((id, i) => id === expected[i])
  }
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The summary of B6's runs. */
export const summarize = (runs: ReadonlyArray<ChaosRun>) => {
  const walls = runs.map((r) => r.wallSeconds)
  return {
    runs: runs.length,
    completed: runs.filter((r) => r.completed).length,
    lostTotal: runs.reduce((sum, r) => sum + r.lost, 0),
    duplicatedTotal: runs.reduce((sum, r) => sum + r.duplicated, 0),
    allInOrder: runs.every((r) => r.inOrder),
    wallSeconds: { median: median(walls), min: Math.min(...walls), max: Math.max(...walls) }
  }
}

/** The results of B6 as `run.ts` writes them into the JSON. */
export interface ChaosResults {
  readonly date: string
  /** The edition and the Node it ran on, as "Effect 4 SDK, Node v24.…". */
  readonly who?: string
  readonly messages: number
  readonly faultRate: number
  readonly limit: number
  readonly summary: ReturnType<typeof summarize>
  readonly runs: ReadonlyArray<ChaosRun>
}

/** B6 as Markdown: one row per run, then the summary. */
export const chaosMarkdown = (b6: ChaosResults): string => {
  const s = b6.summary
  const seconds = (value: number) => value.toFixed(1)
  return [
    `B6 chaos${b6.who === undefined ? "" : `, ${b6.who}`} (${
      b6.date.slice(0, 10)
    }): ${b6.messages} messages, pages of ${b6.limit}, through ${
      Math.round(b6.faultRate * 100)
    } % faults (\`faultMix(${b6.faultRate})\`), the SDK on its default resilience; one simulator seed per run`,
    "",
    "| run | seed | completed | received | lost | duplicated | in order | wall s |",
    "| ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |",
    ...b6.runs.map((r) =>
      `| ${r.run} | ${r.seed} | ${
        r.completed ? "yes" : `no: ${r.error?.tag} (resume.pages ${r.error?.resumePages ?? "–"})`
      } | ${r.received} | ${r.lost} | ${r.duplicated} | ${r.inOrder ? "yes" : "NO"} | ${seconds(r.wallSeconds)} |`
    ),
    "",
    "| runs completed | lost total | duplicated total | in order | wall s median | min | max |",
    "| ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    `| ${s.completed}/${s.runs} | ${s.lostTotal} | ${s.duplicatedTotal} | ${s.allInOrder ? "yes" : "NO"} | ${
      seconds(s.wallSeconds.median)
    } | ${seconds(s.wallSeconds.min)} | ${seconds(s.wallSeconds.max)} |`
  ].join("\n")
}
