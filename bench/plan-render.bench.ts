import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const SIZES = [10, 100, 1000, 5000];

/** Plan + render for synthetic deployments of 10 to 5,000 machines (three instances each), one process per size. */
export default async function planRenderBench(): Promise<void> {
  console.log("plan + render (three instances per machine; each size in a fresh process)");
  console.log("machines  instances      time    peak RSS   output   time growth / size growth");
  let prev: { machines: number; ms: number } | undefined;
  for (const size of SIZES) {
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=source",
        fileURLToPath(new URL("./plan-render.worker.ts", import.meta.url)),
        String(size),
      ],
      { maxBuffer: 1 << 20 },
    );
    const r = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      machines: number;
      instances: number;
      ms: number;
      peakRssMiB: number;
      outputMiB: number;
    };
    const growth = prev ? `${(r.ms / prev.ms / (r.machines / prev.machines)).toFixed(2)}` : "-";
    console.log(
      `${String(r.machines).padStart(8)}  ${String(r.instances).padStart(9)}  ${r.ms.toFixed(0).padStart(6)} ms  ${r.peakRssMiB.toFixed(0).padStart(6)} MiB  ${r.outputMiB.toFixed(1).padStart(5)} MiB   ${growth}`,
    );
    prev = r;
  }
  console.log("target: 1,000 machines / 3,000 instances under 1 s and 300 MB; growth ratio close to 1 (linear)");
}
