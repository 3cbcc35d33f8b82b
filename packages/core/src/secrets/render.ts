import { dotenvLine, dotenvValueProblem } from "../encode/dotenv.js";
import { ENV_NAME_PATTERN } from "../encode/problems.js";
import { systemdEnvLine, systemdEnvValueProblem } from "../encode/systemd-env.js";
import { FediError, type FediIssue } from "../errors.js";
import { assertSecretName, secretNameProblem } from "./names.js";
import type { SecretStore } from "./store.js";
import type { SecretFile } from "./types.js";

/** What an environment variable name in an EnvironmentFile may look like. */
export const ENV_KEY_PATTERN = ENV_NAME_PATTERN;

/**
 * One `KEY=value` line of a systemd EnvironmentFile (without the newline): {@link systemdEnvLine}, values quoted and
 * escaped so that systemd's parser and bash read them back exactly. The caller guarantees no newline, CR or NUL in
 * `value`.
 */
export function environmentFileLine(key: string, value: string): string {
  return systemdEnvLine(key, value);
}

/** Why `value` cannot be written into an env file of `format`, or undefined. Never includes the value. */
function envValueProblem(value: string, format: "systemd" | "dotenv"): string | undefined {
  return format === "dotenv" ? dotenvValueProblem(value) : systemdEnvValueProblem(value);
}

/**
 * The bytes of a secret file: for `value`, the secret's value exactly as stored; for `env`, an environment file of
 * `KEY=value` lines (systemd EnvironmentFile syntax, or phpdotenv `.env` syntax with `format: "dotenv"`), in
 * declaration order, each ending in a newline, built from secrets and literals. Every problem — invalid file name or key, a referenced secret missing from the store, a value with a line
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

  const format = content.format ?? "systemd";
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
    const problem = envValueProblem(value, format);
    if (problem !== undefined) {
      issues.push({ path, message: `the value of ${source} ${problem}` });
      continue;
    }
    lines.push(format === "dotenv" ? dotenvLine(key, value) : systemdEnvLine(key, value));
  }
  if (issues.length > 0) fail(issues);
  return Buffer.from(lines.map((line) => `${line}\n`).join(""), "utf8");
}
