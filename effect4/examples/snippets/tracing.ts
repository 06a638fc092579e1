/** README, "Tracing": the SDK's spans into OpenTelemetry. Given: a program. */
import type { PostpressClient, PostpressError } from "@postpress/core"

declare const program: Effect.Effect<void, PostpressError.PostpressError, PostpressClient.PostpressClient>

// #region readme
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { NodeRuntime } from "@effect/platform-node"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http" // or any SpanExporter
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { NodePostpress } from "@postpress/node"
import { Effect } from "effect"

const TracingLive = NodeSdk.layer(() => ({
  resource: { serviceName: "my-service" },
  spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter())
}))

program.pipe(Effect.provide(NodePostpress.layerConfig()), Effect.provide(TracingLive), NodeRuntime.runMain)
// #endregion readme
