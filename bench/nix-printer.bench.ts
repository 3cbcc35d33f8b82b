/**
 * The Nix printer against Nix's own parser: prints a generated value with 100,000 attributes (nested, mixed types)
 * and parses the output with `nix-instantiate --parse`. The printer should be faster than Nix parsing.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findNixInstantiate, nixParseFile, printNix, toNix } from "../packages/core/src/nix/index.js";

const ATTRIBUTES = 100_000;
const RUNS = 5;

/** A small deterministic pseudo-random generator (mulberry32), local to one generated value. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A value with exactly `count` attributes in total, spread over nested sets, with mixed leaf types. */
export function generateValue(count: number, seed = 1): Record<string, unknown> {
  const rnd = random(seed);
  let remaining = count;
  const leaf = (i: number): unknown => {
    switch (i % 9) {
      case 0:
        return `value-${i} with "quotes" and \${dollar}`;
      case 1:
        return Math.floor(rnd() * 1e9) - 5e8;
      case 2:
        return rnd() * 1000;
      case 3:
        return rnd() < 0.5;
      case 4:
        return null;
      case 5:
        return [i, `item-${i}`, rnd() < 0.5];
      case 6:
        return `line one ${i}\n  indented line\nlast ''line''\n`;
      case 7:
        return 2n ** 62n + BigInt(i);
      default:
        return `plain-${i}`;
    }
  };
  const build = (depth: number): Record<string, unknown> => {
    const set: Record<string, unknown> = {};
    const width = depth === 0 ? 100 : 10;
    for (let i = 0; i < width && remaining > 0; i++) {
      remaining--;
      const name = i % 7 === 3 ? `attr ${depth}.${i}` : `attr${depth}_${i}`;
      set[name] = depth < 4 && rnd() < 0.3 && remaining > 0 ? build(depth + 1) : leaf(remaining);
    }
    return set;
  };
  const root: Record<string, unknown> = {};
  for (let group = 0; remaining > 0; group++) root[`group${group}`] = build(0);
  return root;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(run: () => unknown | Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Prints the printer's median time, Nix's parse time of the output, and their ratio. */
export default async function nixPrinterBench(): Promise<void> {
  const value = generateValue(ATTRIBUTES);
  const convert: number[] = [];
  const print: number[] = [];
  const whole: number[] = [];
  let text = "";
  for (let i = 0; i < RUNS; i++) {
    let node = toNix(null);
    convert.push(
      await time(() => {
        node = toNix(value);
      }),
    );
    // Buffer.byteLength reads the whole text, so the times include building one flat string.
    print.push(
      await time(() => {
        text = printNix(node);
        Buffer.byteLength(text);
      }),
    );
    whole.push(await time(() => Buffer.byteLength(printNix(toNix(value)))));
  }
  const mib = Buffer.byteLength(text) / 2 ** 20;
  console.log(`value: ${ATTRIBUTES.toLocaleString("en")} attributes, output ${mib.toFixed(1)} MiB`);
  console.log(`toNix (data -> nodes)        median ${median(convert).toFixed(1)} ms`);
  console.log(`printNix (nodes -> text)     median ${median(print).toFixed(1)} ms`);
  console.log(`printNix (data -> text)      median ${median(whole).toFixed(1)} ms  (${RUNS} runs)`);
  if ((await findNixInstantiate()) === null) {
    console.log("nix-instantiate not found: Nix parse time skipped (apt-get install -y nix-bin)");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "fedi-bench-nix-"));
  try {
    const file = join(dir, "value.nix");
    await writeFile(file, text);
    const parse: number[] = [];
    for (let i = 0; i < 3; i++) parse.push(await time(() => nixParseFile(file)));
    const printerMs = median(whole);
    const parseMs = median(parse);
    console.log(`nix-instantiate --parse      median ${parseMs.toFixed(1)} ms  (3 runs)`);
    console.log(
      `ratio printer / Nix parse    ${(printerMs / parseMs).toFixed(2)}  (${printerMs < parseMs ? "printer is faster" : "printer is SLOWER than Nix parsing"})`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
