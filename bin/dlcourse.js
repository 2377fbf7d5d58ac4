#!/usr/bin/env node
// The `dlcourse` CLI: runs the TypeScript sources in src/ through tsx (no build step).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
