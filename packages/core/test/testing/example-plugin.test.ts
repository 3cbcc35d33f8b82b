import { beforeAll, describe, expect, it } from "vitest";
import { hello } from "../../../../examples/custom-plugin/plugin.js";
import { defineService } from "../../src/index.js";
import { checkServicePlugin, requireNix } from "../../src/testing/index.js";

let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
});

describe("plugin test kit", () => {
  it("passes the example plugin from the plugin guide and returns its evaluated module", async (ctx) => {
    if (!hasNix) ctx.skip();
    const report = await checkServicePlugin(hello, {
      valid: [{ name: "defaults", options: { domain: "hello.example.org" } }],
      invalid: [
        { name: "bad domain", options: { domain: "not a domain" }, path: "domain" },
        { name: "unknown option", options: { domain: "hello.example.org", colour: "red" }, path: "" },
      ],
      pkgs: ["writeTextDir"],
    });
    const vhost = (report.modules[0]!.value as any).services.nginx.virtualHosts["hello.example.org"];
    expect(vhost.enableACME).toBe(true);
    expect(vhost.locations["/admin/"].basicAuthFile).toBe("/run/fediversity/secrets/test-hello-htpasswd");
    expect(vhost.locations["/uploads/"].proxyPass).toBe("https://test-hello-uploads.web.example.org/");
  });

  it("reports every problem of a broken plugin", async (ctx) => {
    if (!hasNix) ctx.skip();
    const broken = defineService({
      ...hello,
      kind: "broken",
      requirements: (o) => ({
        ...hello.requirements(o),
        secretFiles: [{ id: "env", owner: "x", neededBy: [], content: { kind: "value", secret: "nope" } }],
      }),
      nixos: (ctx, o) => ({
        services: {
          broken: { enable: true, password: "hunter2-plain", secretFile: ctx.secretPath("env"), domain: o.domain },
        },
      }),
      checks: () => [{ kind: "systemd-unit", unit: "not a unit" }],
    });
    let message = "";
    try {
      await checkServicePlugin(broken, {
        valid: [{ name: "v", options: { domain: "a.example.org" } }],
        invalid: [{ name: "accepted", options: { domain: "a.example.org" }, path: "domain" }],
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("invalid case 'accepted': options were accepted");
    expect(message).toContain("refers to undeclared secret 'nope'");
    expect(message).toContain("names no unit in neededBy");
    expect(message).toContain("health check unit 'not a unit'");
    expect(message).toContain("services.broken.password looks like a secret");
  });
});
