// The consumer-project test (`npm run check:consumer`, after `npm run build`; CI runs it). It does what a developer
// embedding the SDK does: packs every workspace with `npm pack`, installs the tarballs into a fresh project outside
// the repository, type-checks the programs in scripts/consumer/project with tsc (strict, `skipLibCheck: false`;
// module resolution nodenext, node16 and bundler), and runs them: the ES module and the CommonJS build under node,
// the CommonJS program under tsx and ts-node, the ES module under tsx. Each run must print the expected plan.
// The compilers and loaders are the repository's (devDependencies); the consumer installs only the tarballs and
// @types/node, from the npm cache when it has them (--prefer-offline). FEDI_CONSUMER_KEEP=1 keeps the folder.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const programs = join(repo, "scripts/consumer/project");
const bin = (name) => join(repo, "node_modules/.bin", name);

/** What each program prints, but for `module` (how it was loaded). */
const EXPECTED = {
  instances: ["social:mastodon@fedi01"],
  domains: ["social.example.org"],
  buckets: ["consumer-social-media"],
  refused: "SPEC_INVALID",
  testKit: ["smtp.password looks like a secret but is not a file path"],
  nix: "{\n  enable = true;\n}",
};

const root = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), "fedi-consumer-"));
const tarballs = join(work, "tarballs");
const app = join(work, "app");
let failures = 0;

function run(command, args, options = {}) {
  return execFileSync(command, args, {
    cwd: app,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "", ...options.env },
    timeout: 180_000,
    ...options,
  });
}

/** Runs `action` (sync or async) and prints `ok` or `FAIL` with its time. Resolves true when it passed. */
async function step(name, action) {
  const at = Date.now();
  try {
    const detail = await action();
    console.log(`ok   ${name} (${((Date.now() - at) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ""}`);
    return true;
  } catch (error) {
    failures++;
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim();
    console.log(`FAIL ${name} (${((Date.now() - at) / 1000).toFixed(1)} s)\n${output || error.message}`);
    return false;
  }
}

/** Runs a program and checks its one line of JSON against {@link EXPECTED} and the `module` it must report. */
function checkOutput(module, command, args, env) {
  const printed = run(command, args, { env }).trim();
  const got = JSON.parse(printed);
  const want = { module, ...EXPECTED };
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`printed ${printed}\nexpected ${JSON.stringify(want)}`);
  return got.module;
}

try {
  for (const dir of root.workspaces) {
    if (!existsSync(join(repo, dir, "dist")))
      throw new Error(`${dir}/dist is missing: run \`npm run build\` before the consumer test.`);
  }
  mkdirSync(tarballs);
  mkdirSync(app);

  const packed = await step("npm pack every workspace", () => {
    const out = run("npm", ["pack", "--workspaces", "--json", "--pack-destination", tarballs], { cwd: repo });
    const files = JSON.parse(out).map((entry) => entry.filename);
    const dependencies = {};
    for (const [index, dir] of root.workspaces.entries()) {
      const { name } = JSON.parse(readFileSync(join(repo, dir, "package.json"), "utf8"));
      dependencies[name] = `file:../tarballs/${files[index]}`;
    }
    const typesNode = JSON.parse(readFileSync(join(repo, "node_modules/@types/node/package.json"), "utf8")).version;
    writeFileSync(
      join(app, "package.json"),
      `${JSON.stringify({ name: "fedi-consumer", version: "0.0.0", private: true, dependencies, devDependencies: { "@types/node": typesNode } }, null, 2)}\n`,
    );
    return files.join(", ");
  });

  const installed =
    packed &&
    (await step("npm install the tarballs into a fresh project", () => {
      run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]);
      return app;
    }));

  if (installed) {
    cpSync(programs, app, { recursive: true });
    // The three compilations are independent (only the first emits, into out/): run them side by side.
    const compiled = await Promise.all(
      ["tsconfig.json", "tsconfig.node16.json", "tsconfig.bundler.json"].map((config) =>
        step(`tsc -p ${config} (strict, skipLibCheck: false)`, () =>
          promisify(execFile)(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", config], {
            cwd: app,
            timeout: 180_000,
          }).then(() => ""),
        ),
      ),
    );
    if (compiled[0]) {
      await step("node out/esm.mjs", () => checkOutput("esm", process.execPath, ["out/esm.mjs"]));
      await step("node out/cjs.js", () => checkOutput("cjs index.cjs", process.execPath, ["out/cjs.js"]));
    }
    await step("tsx cjs.ts", () => checkOutput("cjs index.cjs", bin("tsx"), ["cjs.ts"]));
    await step("tsx esm.mts", () => checkOutput("esm", bin("tsx"), ["esm.mts"]));
    await step("ts-node cjs.ts", () => checkOutput("cjs index.cjs", bin("ts-node"), ["cjs.ts"]));
  }
} catch (error) {
  failures++;
  console.log(`FAIL ${error.message}`);
} finally {
  if (process.env.FEDI_CONSUMER_KEEP === "1") console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(
  `consumer test ${failures === 0 ? "passed" : `failed (${failures})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failures === 0 ? 0 : 1);
