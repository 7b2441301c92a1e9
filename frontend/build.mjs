// Bundles the Scopes tab into ONE minified ES module that the plugin serves as
// data/plugin/scopes/index.js (TensorBoard imports it and calls render()).
// With --tests, compiles test/*.test.ts for `node --test` instead.
import * as esbuild from "esbuild";
import { readdirSync, rmSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

if (process.argv.includes("--tests")) {
  const outdir = join(here, ".test-build");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const entryPoints = readdirSync(join(here, "test"))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join(here, "test", f));
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node18",
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
} else {
  await esbuild.build({
    entryPoints: [join(here, "src", "index.ts")],
    outfile: join(here, "..", "tb_scopes_plugin", "static", "index.js"),
    bundle: true,
    format: "esm",
    target: "es2020",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
}
