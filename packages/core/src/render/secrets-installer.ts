import { type NixNode, nix, printNixFile } from "../nix/index.js";
import { SECRET_DIRS } from "../plan/types.js";

/** Path, relative to the deployment directory, of the secrets installer module. */
export const SECRETS_INSTALLER_FILE = "nix/fediversity-secrets.nix";

const opt = (type: NixNode, extra: Record<string, NixNode | string> = {}) =>
  nix.apply(nix.ref("lib.mkOption"), nix.attrs({ type, ...extra }));

/**
 * The static NixOS module that installs uploaded secret files: it declares `fediversity.secrets.files.<name>`
 * (owner, group, mode, neededBy) and a oneshot `fediversity-secrets.service` that runs before the units needing the
 * files and copies each from the root-only upload folder to `/run/fediversity/secrets/<name>` with its owner and mode
 * (service users exist only after activation, so this cannot happen at upload time). Values never pass through Nix.
 */
export function secretsInstallerModule(): string {
  const types = (name: string) => nix.ref(`lib.types.${name}`);
  const arg = (name: string) => nix.apply(nix.ref("lib.escapeShellArg"), nix.ref(name));
  const installLine = nix.lambda(
    "name",
    nix.lambda(
      "f",
      nix.s`install -m ${nix.ref("f.mode")} -o ${arg("f.owner")} -g ${arg("f.group")} -T ${arg("cfg.uploadDirectory")}/${arg("name")} ${arg("cfg.directory")}/${arg("name")}.tmp
mv -f ${arg("cfg.directory")}/${arg("name")}.tmp ${arg("cfg.directory")}/${arg("name")}`,
    ),
  );
  // Files installed earlier but no longer declared are removed (e.g. the secrets of a removed instance).
  const declared = nix.apply(
    nix.ref("lib.concatMapStringsSep"),
    "|",
    nix.ref("lib.escapeShellArg"),
    nix.apply(nix.ref("builtins.attrNames"), nix.ref("cfg.files")),
  );
  const removeUndeclared = nix.s`for f in ${arg("cfg.directory")}/*; do
  [ -e "$f" ] || continue
  case "\${f##*/}" in ${declared}) ;; *) rm -f -- "$f" ;; esac
done`;
  const body = nix.attrs({
    options: {
      fediversity: {
        secrets: {
          uploadDirectory: opt(types("str"), {
            default: SECRET_DIRS.upload,
            description: "Root-only folder the SDK uploads secret files to.",
          }),
          directory: opt(types("str"), {
            default: SECRET_DIRS.installed,
            description: "Folder the installed secret files are placed in.",
          }),
          files: opt(
            nix.apply(
              types("attrsOf"),
              nix.apply(
                types("submodule"),
                nix.attrs({
                  options: {
                    owner: opt(types("str"), { description: "Owning user." }),
                    group: opt(types("str"), { default: "root", description: "Owning group." }),
                    mode: opt(nix.apply(types("strMatching"), "0[0-7]{3}"), {
                      default: "0400",
                      description: "File mode.",
                    }),
                    neededBy: opt(nix.apply(types("listOf"), types("str")), {
                      default: nix.list([]),
                      description: "systemd units that read the file.",
                    }),
                  },
                }),
              ),
            ),
            { default: nix.attrs({}), description: "Secret files to install, by file name." },
          ),
        },
      },
    },
    config: nix.apply(
      nix.ref("lib.mkIf"),
      nix.op(nix.ref("cfg.files"), "!=", nix.attrs({})),
      nix.attrs({
        systemd: {
          tmpfiles: { rules: nix.list([nix.s`d ${nix.ref("cfg.uploadDirectory")} 0700 root root -`]) },
          services: {
            "fediversity-secrets": {
              description: "Install the Fediversity secret files",
              wantedBy: ["multi-user.target"],
              before: nix.ref("units"),
              requiredBy: nix.ref("units"),
              after: ["local-fs.target", "systemd-tmpfiles-setup.service"],
              serviceConfig: { Type: "oneshot", RemainAfterExit: true },
              path: nix.list([nix.ref("pkgs.coreutils")]),
              script: nix.apply(
                nix.ref("lib.concatStringsSep"),
                "\n",
                nix.op(
                  nix.list(["set -euo pipefail", nix.s`install -d -m 0755 -o root -g root ${arg("cfg.directory")}`]),
                  "++",
                  nix.op(
                    nix.apply(nix.ref("lib.mapAttrsToList"), installLine, nix.ref("cfg.files")),
                    "++",
                    nix.list([removeUndeclared]),
                  ),
                ),
              ),
            },
          },
        },
      }),
    ),
  });
  const module = nix.lambda(
    { args: ["config", "lib", "pkgs"], ellipsis: true },
    nix.let(
      {
        cfg: nix.ref("config.fediversity.secrets"),
        units: nix.apply(
          nix.ref("lib.unique"),
          nix.apply(
            nix.ref("lib.concatMap"),
            nix.lambda("f", nix.ref("f.neededBy")),
            nix.apply(nix.ref("lib.attrValues"), nix.ref("cfg.files")),
          ),
        ),
      },
      body,
    ),
  );
  return printNixFile(module, {
    header: "Installs the secret files the Fediversity SDK uploads. Generated by the Fediversity SDK; do not edit.",
  });
}
