import { join } from "node:path";
import { Deployer } from "@fediversity/core";
import { NIXOPS4_DOUBLE, startFleet } from "../packages/cli/test/e2e/fleet.js";

/**
 * The cost of an apply that has nothing to do (the common case in a CI loop), on the loopback fleet of the end-to-end
 * tests (three NixOS-like sshd hosts, Garage admin double, s3rver, NixOps4 double). Needs root (mount namespaces).
 */
export default async function applyNoopBench(): Promise<void> {
  const fleet = await startFleet();
  try {
    const deployer = new Deployer({
      registry: fleet.registry,
      deployDir: join(fleet.dir, "deploy"),
      state: fleet.state,
      secrets: fleet.secrets,
      nixops4: {
        binary: NIXOPS4_DOUBLE,
        env: {
          NIX_CONFIG: "experimental-features = nix-command flakes",
          FEDI_NIXOPS4_DOUBLE_MEMBERS: "default.store1=127.0.0.1,default.web1=127.0.0.1,default.web2=127.0.0.1",
        },
      },
    });
    const t0 = performance.now();
    await deployer.apply(fleet.plan());
    const first = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const plan = fleet.plan(await fleet.state.read("e2e"));
      const report = await deployer.apply(plan);
      if (!report.upToDate) throw new Error("expected a no-op apply");
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log("apply on a loopback fleet of 3 machines (2 instances, Garage, NixOps4 double)");
    console.log(`  first apply (everything):     ${first.toFixed(0)} ms`);
    console.log(
      `  no-op apply (plan + check):   median ${times[3]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms, max ${times[6]!.toFixed(1)} ms`,
    );
  } finally {
    await fleet.dispose();
  }
}
