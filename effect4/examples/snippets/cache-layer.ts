/** README, "Lookups and caching": one cache for a whole client. */

// #region readme
import { NodePostpress } from "@postpress/node"

// one cache for the whole program: every lookup of this client, wherever and however often it runs
const Postpress = NodePostpress.layerConfig({ cache: { capacity: 10_000, timeToLive: "5 minutes" } })
// #endregion readme

export { Postpress }
