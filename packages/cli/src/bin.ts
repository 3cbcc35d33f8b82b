import { fileURLToPath } from "node:url";
import { runCli } from "./cli.js";
import { processIo } from "./terminal/io.js";

// `fedi plan --json | head`: a reader that goes away is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

// The built binary sits next to the library entry (dist/bin.js, dist/index.js): config files that import
// `@fediversity/cli` get this CLI's own copy, even where the package is not installed beside them.
const libraryEntry = fileURLToPath(new URL("./index.js", import.meta.url));

process.exitCode = await runCli(process.argv.slice(2), processIo(), { libraryEntry });
