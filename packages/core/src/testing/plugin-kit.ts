import { FediError, isFediError } from "../errors.js";
import { formatPath } from "../model/zod-issues.js";
import { type NixInput, nix, nixEvalJson, nixParse, printNix } from "../nix/index.js";
import { createRegistry } from "../plugin/registry.js";
import type { HealthCheck, ServiceContext, ServicePlugin } from "../plugin/types.js";

/** Cases for {@link checkServicePlugin}. */
export interface ServicePluginCases {
  /** Options that must validate; each one's module is generated, parsed and evaluated. */
  valid: Array<{ name: string; options: unknown }>;
  /** Options that must be rejected, with the path (inside the options) of the expected issue, e.g. `domain`. */
  invalid?: Array<{ name: string; options: unknown; path: string }>;
  /** Attribute names of `pkgs` the module may use (each becomes a stub store path that can also be called). */
  pkgs?: string[];
  /** Machine the fake context describes. */
  machine?: Partial<ServiceContext["machine"]>;
}

/** One generated module, as printed and as evaluated by the real Nix. */
export interface CheckedModule {
  /** The case name. */
  name: string;
  /** The module as Nix text. */
  text: string;
  /** The module body evaluated with stub `pkgs`, `lib` and `config` (mkDefault etc. keep their `_type` wrappers). */
  value: unknown;
  /** The context it was generated with. */
  context: ServiceContext;
}

/** Result of {@link checkServicePlugin}. */
export interface ServicePluginReport {
  /** One entry per valid case. */
  modules: CheckedModule[];
}

const DEFAULT_PKGS = ["coreutils", "bash", "curl", "sudo", "util-linux", "nginx", "postgresql", "redis"];
const SECRET_KEY = /(password|passwd|passphrase|secret|token|private_?key|credential|api_?key|access_?key)/i;

/**
 * Checks a service plugin the way the SDK will use it, for plugin authors' test suites (like ESLint's RuleTester):
 * it registers with this core; valid options parse and invalid ones fail at the expected path; requirements are
 * well-formed; every generated module parses with the real `nix-instantiate --parse` and evaluates with
 * `--eval --strict --json` under stub `pkgs`/`lib`/`config`; no secret-looking option holds anything but a file path;
 * health checks are well-formed. Needs `nix-instantiate` on PATH.
 * @throws Error listing every problem found.
 */
export async function checkServicePlugin<O>(
  plugin: ServicePlugin<O>,
  cases: ServicePluginCases,
): Promise<ServicePluginReport> {
  const problems: string[] = [];
  try {
    createRegistry([plugin as ServicePlugin<unknown>]);
  } catch (error) {
    problems.push(`registration: ${isFediError(error) ? error.describe() : String(error)}`);
  }
  for (const c of cases.invalid ?? []) {
    const r = plugin.options.safeParse(c.options);
    if (r.success) problems.push(`invalid case '${c.name}': options were accepted`);
    else if (!r.error.issues.some((i) => formatPath(i.path) === c.path)) {
      problems.push(
        `invalid case '${c.name}': no issue at '${c.path}' (got ${r.error.issues.map((i) => `'${formatPath(i.path)}'`).join(", ")})`,
      );
    }
  }
  const modules: CheckedModule[] = [];
  for (const c of cases.valid) {
    const where = `valid case '${c.name}'`;
    const r = plugin.options.safeParse(c.options);
    if (!r.success) {
      problems.push(
        `${where}: options rejected: ${r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ")}`,
      );
      continue;
    }
    const options = r.data;
    let ctx: ServiceContext;
    let body: NixInput;
    let checks: HealthCheck[];
    try {
      const req = plugin.requirements(options);
      problems.push(...requirementProblems(req, where));
      ctx = fakeContext(plugin.kind, req, cases.machine);
      body = plugin.nixos(ctx, options);
      checks = plugin.checks(ctx, options);
    } catch (error) {
      problems.push(`${where}: plugin threw: ${isFediError(error) ? error.describe() : String(error)}`);
      continue;
    }
    for (const check of checks) problems.push(...checkProblems(check, where));
    const moduleNode = nix.lambda({ args: ["config", "lib", "pkgs"], ellipsis: true }, body);
    let text: string;
    try {
      text = printNix(moduleNode);
      await nixParse(text);
    } catch (error) {
      problems.push(`${where}: module does not print or parse: ${isFediError(error) ? error.message : String(error)}`);
      continue;
    }
    let value: unknown;
    try {
      value = await nixEvalJson(printNix(evaluationHarness(moduleNode, [...DEFAULT_PKGS, ...(cases.pkgs ?? [])])));
    } catch (error) {
      problems.push(
        `${where}: module does not evaluate with stub pkgs/lib/config: ${isFediError(error) ? error.message : String(error)}`,
      );
      continue;
    }
    for (const found of secretLookingValues(value)) problems.push(`${where}: ${found}`);
    modules.push({ name: c.name, text, value, context: ctx });
  }
  if (problems.length > 0) {
    throw new Error(`Plugin '${plugin.kind}' failed ${problems.length} check(s):\n- ${problems.join("\n- ")}`);
  }
  return { modules };
}

/** The stub `lib` the kit evaluates modules with: module helpers keep the real `_type` wrappers. */
function stubLib(): NixInput {
  const x = nix.ref("x");
  const wrap = (fields: Record<string, NixInput>) => nix.attrs(fields);
  return nix.attrs({
    mkDefault: nix.lambda("x", wrap({ _type: "override", priority: 1000, content: x })),
    mkForce: nix.lambda("x", wrap({ _type: "override", priority: 50, content: x })),
    mkOverride: nix.lambda("p", nix.lambda("x", wrap({ _type: "override", priority: nix.ref("p"), content: x }))),
    mkIf: nix.lambda("c", nix.lambda("x", wrap({ _type: "if", condition: nix.ref("c"), content: x }))),
    mkMerge: nix.lambda("x", wrap({ _type: "merge", contents: x })),
    mkBefore: nix.lambda("x", wrap({ _type: "order", priority: 500, content: x })),
    mkAfter: nix.lambda("x", wrap({ _type: "order", priority: 1500, content: x })),
    optional: nix.lambda("c", nix.lambda("x", nix.if(nix.ref("c"), nix.list([x]), nix.list([])))),
    optionals: nix.lambda("c", nix.lambda("x", nix.if(nix.ref("c"), x, nix.list([])))),
    optionalString: nix.lambda("c", nix.lambda("x", nix.if(nix.ref("c"), x, ""))),
    optionalAttrs: nix.lambda("c", nix.lambda("x", nix.if(nix.ref("c"), x, nix.attrs({})))),
    concatStringsSep: nix.ref("builtins.concatStringsSep"),
    escapeShellArg: nix.lambda("x", nix.s`'${x}'`),
    getExe: nix.lambda("x", nix.s`${x}/bin/main`),
  });
}

function evaluationHarness(moduleNode: NixInput, pkgNames: string[]): NixInput {
  // each stub package is a store path that may also be called like a builder (`pkgs.writeText "a" "b"`)
  const stub = (n: string) =>
    nix.attrs({
      outPath: `/nix/store/00000000000000000000000000000000-${n}`,
      __functor: nix.lambda("self", nix.lambda("_", nix.ref("self"))),
    });
  const pkgs = Object.fromEntries([...new Set(pkgNames)].sort().map((n) => [n, stub(n)]));
  return nix.let(
    { lib: stubLib(), pkgs, config: nix.attrs({}), module: moduleNode },
    nix.apply(nix.ref("module"), nix.attrs({}, { inherit: [{ names: ["config", "lib", "pkgs"] }] })),
  );
}

function fakeContext(
  kind: string,
  req: ReturnType<ServicePlugin["requirements"]>,
  machine: Partial<ServiceContext["machine"]> = {},
): ServiceContext {
  const files = new Set((req.secretFiles ?? []).map((f) => f.id));
  const buckets = req.buckets ?? [];
  return {
    instance: { name: `test-${kind}`, kind },
    machine: {
      name: "machine1",
      host: "10.0.0.1",
      system: "x86_64-linux",
      cpus: 4,
      memoryMiB: 8192,
      diskGiB: 100,
      roles: ["services"],
      ...machine,
    },
    deployment: { name: "test", acmeEmail: "ops@example.org", acmeStaging: true },
    secretPath: (id) => {
      if (!files.has(id))
        throw new FediError("PLUGIN_CONTRACT", `secretPath('${id}') asks for a secret file the plugin did not declare`);
      return `/run/fediversity/secrets/test-${kind}-${id}`;
    },
    ...(buckets.length
      ? {
          s3: {
            endpoint: "http://10.0.0.5:3900",
            region: "garage",
            forcePathStyle: true,
            virtualHostRoot: "s3.example.org",
            buckets: Object.fromEntries(
              buckets.map((b) => [
                b.id,
                {
                  id: b.id,
                  name: `test-${kind}-${b.id}`,
                  public: b.public,
                  ...(b.public ? { publicUrl: `https://test-${kind}-${b.id}.web.example.org` } : {}),
                },
              ]),
            ),
          },
        }
      : {}),
  };
}

function requirementProblems(req: ReturnType<ServicePlugin["requirements"]>, where: string): string[] {
  const out: string[] = [];
  for (const k of ["cpus", "memoryMiB", "diskGiB"] as const) {
    if (typeof req[k] !== "number" || !(req[k] >= 0)) out.push(`${where}: requirement ${k} is not a number >= 0`);
  }
  const secretIds = new Set((req.secrets ?? []).map((s) => s.id));
  if ((req.buckets ?? []).length > 0) secretIds.add("s3-access-key-id").add("s3-secret-key");
  for (const f of req.secretFiles ?? []) {
    const refs =
      f.content.kind === "value"
        ? [f.content.secret]
        : Object.values(f.content.entries).flatMap((v) => ("secret" in v ? [v.secret] : []));
    for (const r of refs)
      if (!secretIds.has(r)) out.push(`${where}: secret file '${f.id}' refers to undeclared secret '${r}'`);
    if (f.neededBy.length === 0) out.push(`${where}: secret file '${f.id}' names no unit in neededBy`);
  }
  return out;
}

function checkProblems(check: HealthCheck, where: string): string[] {
  if (check.kind === "systemd-unit" && !/^[A-Za-z0-9@._-]+\.(service|timer|socket|target)$/.test(check.unit)) {
    return [`${where}: health check unit '${check.unit}' is not a systemd unit name`];
  }
  if (check.kind === "http" && !/^https?:\/\//.test(check.url))
    return [`${where}: health check URL '${check.url}' is not http(s)`];
  return [];
}

/**
 * Finds option values that look like secrets in an evaluated module: a string under a secret-looking name that is
 * not an absolute file path, or a string shaped like an S3 key.
 */
export function secretLookingValues(value: unknown, path: Array<string | number> = []): string[] {
  const out: string[] = [];
  const here = formatPath(path);
  if (typeof value === "string") {
    const name = String(path.at(-1) ?? "");
    if (/^GK[0-9a-f]{24}$/.test(value) || /^[0-9a-f]{64}$/.test(value)) out.push(`${here} holds what looks like a key`);
    else if (SECRET_KEY.test(name) && !/(file|path|dir|files)$/i.test(name) && value !== "" && !value.startsWith("/")) {
      out.push(`${here} looks like a secret but is not a file path`);
    }
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...secretLookingValues(v, [...path, i]));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...secretLookingValues(v, [...path, k]));
  }
  return out;
}
