import {
  createPlanFromUnknown,
  createRegistry,
  plainStyle,
  planChanges,
  planSummary,
  stateFromPlan,
} from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { createStyle } from "../src/terminal/style.js";
import { blobs, machine, site } from "./support/plugins.js";

const registry = createRegistry([site, blobs]);
const spec = (services: Array<{ name: string; domain: string }>) => ({
  name: "acme",
  machines: [machine("web01", "192.0.2.10"), machine("web02", "192.0.2.11")],
  storage: { kind: "blobs" },
  services: services.map((s) => ({ name: s.name, kind: "site", options: { domain: s.domain } })),
});
const plain = createStyle(false);
const ANSI = /\u001b\[/;

describe("plan summary", () => {
  const first = createPlanFromUnknown({
    spec: spec([
      { name: "blog", domain: "blog.example.org" },
      { name: "shop", domain: "shop.example.org" },
    ]),
    registry,
  });
  const emptyState = { schemaVersion: 1 as const, deployment: "acme", instances: {}, machines: {}, leftovers: [] };

  it("lists every machine with used/total resources, instances, buckets, keys and secret names", () => {
    const text = planSummary(first, { state: emptyState, stateFile: ".fedi/state.json" }, plain);
    for (const m of first.machines) {
      expect(text).toContain(m.name);
      expect(text).toContain(`cpu ${m.used.cpus}/${m.resources.cpus}`);
      expect(text).toContain(`disk ${m.used.diskGiB}/${m.resources.diskGiB} GiB`);
    }
    for (const b of first.buckets) expect(text).toMatch(new RegExp(`${b.name}\\s+public\\s+of ${b.instance}`));
    for (const k of first.keys) expect(text).toContain(k.name);
    for (const s of first.secrets) expect(text).toContain(s.name);
    expect(text).toMatch(/\+ add\s+blog \(site\) on web0[12]/);
    expect(text).toContain("nothing applied yet");
    expect(text).not.toMatch(ANSI);
  });

  it("shows removals with what they leave behind, and 'up to date' when nothing changed", () => {
    const applied = stateFromPlan(first, undefined, new Date("2026-01-02T03:04:05Z"));
    const same = createPlanFromUnknown({
      spec: spec([
        { name: "blog", domain: "blog.example.org" },
        { name: "shop", domain: "shop.example.org" },
      ]),
      registry,
      state: applied,
    });
    expect(planSummary(same, { state: applied, stateFile: "s" }, plain)).toContain("Up to date: nothing to apply.");
    // the library's defaults: plain text, and the changes alone are the summary's `Changes` section
    expect(planSummary(same, { state: applied, stateFile: "s" })).toBe(
      planSummary(same, { state: applied, stateFile: "s" }, plainStyle),
    );

    const smaller = createPlanFromUnknown({
      spec: spec([{ name: "blog", domain: "blog.example.org" }]),
      registry,
      state: applied,
    });
    const text = planSummary(smaller, { state: applied, stateFile: "s" }, plain);
    const removed = smaller.diff.removed[0]!;
    expect(removed.instance).toBe("shop");
    expect(text).toMatch(new RegExp(`- remove\\s+shop \\(site\\) from ${removed.machine}; left behind:`));
    for (const l of removed.leftovers) expect(text).toContain(l.note);
    const changes = planChanges(smaller, { state: applied, stateFile: "s" });
    expect(changes.startsWith("Changes since the apply of 2026-01-02T03:04:05.000Z (s)\n")).toBe(true);
    expect(text).toContain(changes);
    expect(text).toContain("since the apply of 2026-01-02T03:04:05.000Z");

    const changed = createPlanFromUnknown({
      spec: spec([
        { name: "blog", domain: "www.example.org" },
        { name: "shop", domain: "shop.example.org" },
      ]),
      registry,
      state: applied,
    });
    expect(planSummary(changed, { state: applied, stateFile: "s" }, plain)).toMatch(/~ change\s+blog \(site\)/);
  });

  it("reports written, unchanged and removed files", () => {
    const text = planSummary(
      first,
      {
        state: emptyState,
        stateFile: "s",
        written: {
          dir: "deploy",
          report: { written: ["flake.nix"], unchanged: ["plan.json"], removed: ["machines/old.nix"] },
        },
      },
      plain,
    );
    expect(text).toContain("Deployment files in deploy: 1 written, 1 unchanged, 1 removed");
    expect(text).toMatch(/written\s+flake\.nix/);
    expect(text).toMatch(/removed\s+machines\/old\.nix/);
  });

  it("colours only when asked to", () => {
    expect(planSummary(first, { state: emptyState, stateFile: "s" }, createStyle(true))).toMatch(ANSI);
  });
});
