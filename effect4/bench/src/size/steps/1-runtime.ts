/**
 * The bundle-size benchmark's first step under the Effect 4 fetch app: Effect's
 * runtime alone, running one effect.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

Effect.runFork(Console.log("postpress"))
