/** README, "Configuration": the config layer, from values or from Config. */

// #region readme
import { PostpressConfig } from "@postpress/core"
import { Config, Redacted } from "effect"

PostpressConfig.layer({ apiKey: Redacted.make("pp_live_..."), baseUrl: "https://api.postpress.ai/v1" })
PostpressConfig.layerConfig() // POSTPRESS_API_KEY, POSTPRESS_BASE_URL
PostpressConfig.layerConfig({ apiKey: Config.Redacted("MY_KEY") }) // other keys
// #endregion readme
