// What `fedi apply` asks before it removes, moves or changes storage nodes: one line per change, naming the
// directories a dropped storage node keeps and the prune command that deletes them.
import type { PlanDiff } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { confirmationItems } from "../src/commands/apply.js";

const empty: PlanDiff = {
  upToDate: false,
  added: [],
  removed: [],
  changed: [],
  moved: [],
  machinesChanged: [],
  machinesAdded: [],
  machinesRemoved: [],
  storageChanges: [],
};

describe("apply's confirmation", () => {
  it("lists removals, moves and storage changes with what a dropped node keeps", () => {
    const dir = (path: string) => ({
      kind: "data" as const,
      name: `directory:${path}`,
      machine: "store-c",
      storage: "garage",
      durable: { kind: "directory" as const, path },
      note: "n",
    });
    const items = confirmationItems({
      ...empty,
      removed: [{ instance: "old", kind: "webapp", machine: "web1", leftovers: [] }],
      moved: [{ instance: "social", from: "web1", to: "web2", reason: "web1 shrank" }],
      storageChanges: [
        { kind: "node-added", machine: "store-d", note: "store-d becomes a storage node" },
        {
          kind: "node-removed",
          machine: "store-c",
          note: "store-c stops being a storage node",
          leftovers: [dir("/var/lib/garage/meta"), dir("/var/lib/garage/data")],
        },
      ],
    });
    expect(items).toEqual([
      "remove old from web1 (its data, buckets, key and secrets stay until fedi prune deletes them)",
      "move social from web1 to web2 (web1 shrank)",
      "change the storage nodes: store-d becomes a storage node",
      "change the storage nodes: store-c stops being a storage node (stays on store-c until `fedi prune --storage-node store-c`: /var/lib/garage/meta, /var/lib/garage/data)",
    ]);
  });
});
