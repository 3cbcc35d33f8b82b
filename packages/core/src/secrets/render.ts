import { FediError, type FediIssue } from "../errors.js";
import { assertSecretName, secretNameProblem } from "./names.js";
import type { SecretStore } from "./store.js";
import type { SecretFile } from "./types.js";

/** What an environment variable name in an EnvironmentFile may look like. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Values made only of these characters are written unquoted. */
const PLAIN_VALUE = /^[A-Za-z0-9_@%+=:,./-]*$/;

/**
 * One `KEY=value` line of a systemd EnvironmentFile (without the newline). Values with anything but
 * `[A-Za-z0-9_@%+=:,./-]` are double-quoted (which also keeps leading and trailing spaces, otherwise stripped).
 * Inside double quotes systemd's parser (systemd.exec(5) EnvironmentFile=; `load_env_file` in src/basic/env-file.c,
 * systemd 239 and later) removes a backslash before `"`, `\`, `` ` `` and `$` and keeps every other character
 * verbatim — no variable expansion — so those four are escaped with a backslash and the value reads back exactly.
 * The caller guarantees no newline, CR or NUL in `value`.
 */
export function environmentFileLine(key: string, value: string): string {
  if (PLAIN_VALUE.test(value)) return `${key}=${value}`;
  return `${key}="${value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/** Why `value` cannot be written into an EnvironmentFile, or undefined. Never includes the value. */
function envValueProblem(value: string): string | undefined {
  if (value.includes("\n") || value.includes("\r")) return "contains a line break";
  if (value.includes("\0")) return "contains a NUL character";
  return undefined;
}

/**
 * The bytes of a secret file: for `value`, the secret's value exactly as stored; for `env`, a systemd
 * EnvironmentFile of `KEY=value` lines (in declaration order, each ending in a newline) built from secrets and
 * literals. Every problem — invalid file name or key, a referenced secret missing from the store, a value with a line
 * break or NUL — is collected into one FediError `SECRET_FAILED`; no message ever contains a secret value.
 */
export async function renderSecretFile(file: SecretFile, store: SecretStore): Promise<Uint8Array> {
  assertSecretName(file.name, "file.name");
  const where = `secret file ${JSON.stringify(file.name)}`;
  const fail = (issues: FediIssue[]): never => {
    const missing = issues.filter((i) => i.code === "secret_missing").length;
    throw new FediError("SECRET_FAILED", `Cannot build ${where}: ${issues.length} problem(s).`, {
      issues,
      hint:
        missing > 0
          ? "Missing secrets are created by ensureSecrets (run as part of a deploy); `import` secrets must be set with `fedi secret set <name>`."
          : "Fix the declaration of the secret file, or the secret values it uses.",
    });
  };

  const content = file.content;
  if (content.kind === "value") {
    const problem = secretNameProblem(content.secret);
    if (problem !== undefined) fail([{ path: "content.secret", message: problem }]);
    const value = await store.get(content.secret);
    if (value === undefined) {
      fail([
        {
          path: "content.secret",
          message: `secret ${JSON.stringify(content.secret)} is not in the secret store`,
          code: "secret_missing",
        },
      ]);
    }
    return Buffer.from(value as string, "utf8");
  }

  const issues: FediIssue[] = [];
  const lines: string[] = [];
  for (const [key, entry] of Object.entries(content.entries)) {
    const path = `content.entries.${key}`;
    if (!ENV_KEY_PATTERN.test(key)) {
      issues.push({ path, message: "is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)" });
      continue;
    }
    let value: string | undefined;
    let source: string;
    if ("secret" in entry) {
      source = `secret ${JSON.stringify(entry.secret)}`;
      const problem = secretNameProblem(entry.secret);
      if (problem !== undefined) {
        issues.push({ path: `${path}.secret`, message: problem });
        continue;
      }
      value = await store.get(entry.secret);
      if (value === undefined) {
        issues.push({ path, message: `${source} is not in the secret store`, code: "secret_missing" });
        continue;
      }
    } else {
      source = "the literal";
      value = entry.literal;
    }
    const problem = envValueProblem(value);
    if (problem !== undefined) {
      issues.push({ path, message: `the value of ${source} ${problem}, which an EnvironmentFile cannot hold` });
      continue;
    }
    lines.push(environmentFileLine(key, value));
  }
  if (issues.length > 0) fail(issues);
  return Buffer.from(lines.map((line) => `${line}\n`).join(""), "utf8");
}
