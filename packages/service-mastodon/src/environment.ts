import { FediError, type FediIssue, shellEnvValueProblem, systemdEnvironmentProblem } from "@fediversity/core";

/**
 * Why a value cannot be one of Mastodon's environment variables, or undefined. nixpkgs' module puts every variable
 * of `env` (module values, `extraConfig`) both into its units' `Environment=` (NixOS writes `toJSON "NAME=value"`;
 * systemd expands `%` specifiers there) and into the `NAME="value"` file that `mastodon-tootctl` sources with bash as
 * root (nixos/modules/services/web-apps/mastodon.nix, `envFile` and `mastodonTootctl`). No escaping can serve both, so
 * a value must read back unchanged in each: no `"`, `$`, `` ` ``, `\`, `%`, control characters or text systemd refuses.
 */
export function mastodonEnvProblem(value: string): string | undefined {
  return shellEnvValueProblem(value) ?? systemdEnvironmentProblem(value);
}

/**
 * Checks the environment the plugin hands to `services.mastodon` (`extraConfig`, `smtp.user`, `smtp.fromAddress`)
 * value by value.
 * @param fields - variable name → where its value came from (a spec path), for the issues.
 * @throws FediError `SPEC_INVALID` listing every variable whose value cannot be written.
 */
export function assertMastodonEnvironment(env: Record<string, string>, fields: Record<string, string>): void {
  const issues: FediIssue[] = [];
  for (const [name, value] of Object.entries(env)) {
    const problem = mastodonEnvProblem(value);
    if (problem !== undefined) {
      issues.push({
        path: fields[name] ?? name,
        message: `(Mastodon's ${name}) ${problem}`,
        code: "VALUE_UNREPRESENTABLE",
      });
    }
  }
  if (issues.length > 0) {
    throw new FediError("SPEC_INVALID", "A value cannot be passed to Mastodon's environment safely.", {
      issues,
      hint: "Mastodon's NixOS module writes these values unescaped into a file bash sources as root: remove the characters named above from each value.",
    });
  }
}
