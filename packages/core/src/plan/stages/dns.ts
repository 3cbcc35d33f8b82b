import { type DnsRecord, planDns } from "../dns.js";
import type { Allocation } from "./allocation.js";
import type { MachineModules } from "./machine-modules.js";
import { callPlugin } from "./plugin-call.js";
import type { ValidatedInput } from "./validate.js";

/**
 * Stage 6: the DNS records the deployment needs: each instance's domains on its machine, and the names the storage
 * plugin asks for (see {@link planDns}).
 * @throws FediError `PLUGIN_CONTRACT` (the storage plugin), `ALLOCATION_CONFLICT` (see {@link planDns}).
 */
export function dnsStage(v: ValidatedInput, a: Allocation, mm: MachineModules): DnsRecord[] {
  const { storage } = v;
  return planDns({
    machines: v.facts,
    instances: mm.instances,
    storage: {
      kind: storage.plugin.kind,
      dns: callPlugin(`storage plugin '${storage.plugin.kind}'`, "storage.options", () =>
        storage.plugin.dns?.(a.storageContext, storage.options),
      ),
    },
  });
}
