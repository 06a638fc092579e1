#!/usr/bin/env node
// Runs the TypeScript entry point through tsx (Node 20 has no TypeScript support of its own).
import { register } from "tsx/esm/api"

register()
await import("../src/bin/postpress-simulator.ts")
