# Installs the secret files the Fediversity SDK uploads.
#
# The SDK uploads each file, as root, to `uploadDirectory` (root only, 0700). The service users that must read a
# file only exist once the configuration is active, so the owner and mode cannot be set at upload time: the
# oneshot `fediversity-secrets.service` copies every declared file to `directory` with its owner, group and mode,
# before the units that read it start, and removes installed files that are no longer declared. Secret values never
# pass through Nix or the Nix store: this module only sees file names and owners.
#
# Shipped with @fediversity/core and copied into every deployment as `nix/fediversity-secrets.nix`; the generated
# machine modules set `fediversity.secrets.files` as data.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  inherit (lib) mkOption types;

  cfg = config.fediversity.secrets;

  # Every unit that reads a secret file, once.
  units = lib.unique (lib.concatMap (f: f.neededBy) (lib.attrValues cfg.files));

  quoted = lib.escapeShellArg;

  install = name: f: ''
    install -m ${f.mode} -o ${quoted f.owner} -g ${quoted f.group} -T ${quoted cfg.uploadDirectory}/${quoted name} ${quoted cfg.directory}/${quoted name}.tmp
    mv -f ${quoted cfg.directory}/${quoted name}.tmp ${quoted cfg.directory}/${quoted name}
  '';

  # Files installed earlier but no longer declared (e.g. the secrets of a removed instance) are removed.
  removeUndeclared = ''
    for f in ${quoted cfg.directory}/*; do
      [ -e "$f" ] || continue
      case "''${f##*/}" in
        ${lib.concatMapStringsSep "|" quoted (lib.attrNames cfg.files)}) ;;
        *) rm -f -- "$f" ;;
      esac
    done
  '';
in
{
  options.fediversity.secrets = {
    uploadDirectory = mkOption {
      type = types.str;
      default = "/var/lib/fediversity/secrets";
      description = "Root-only folder the SDK uploads secret files to.";
    };

    directory = mkOption {
      type = types.str;
      default = "/run/fediversity/secrets";
      description = "Folder the installed secret files are placed in.";
    };

    files = mkOption {
      type = types.attrsOf (
        types.submodule {
          options = {
            owner = mkOption {
              type = types.str;
              description = "Owning user.";
            };

            group = mkOption {
              type = types.str;
              default = "root";
              description = "Owning group.";
            };

            mode = mkOption {
              type = types.strMatching "0[0-7]{3}";
              default = "0400";
              description = "File mode.";
            };

            neededBy = mkOption {
              type = types.listOf types.str;
              default = [ ];
              description = "systemd units that read the file.";
            };
          };
        }
      );
      default = { };
      description = "Secret files to install, by file name.";
    };
  };

  config = lib.mkIf (cfg.files != { }) {
    systemd.tmpfiles.rules = [ "d ${cfg.uploadDirectory} 0700 root root -" ];

    systemd.services.fediversity-secrets = {
      description = "Install the Fediversity secret files";
      wantedBy = [ "multi-user.target" ];
      before = units;
      requiredBy = units;
      after = [
        "local-fs.target"
        "systemd-tmpfiles-setup.service"
      ];
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
      };
      path = [ pkgs.coreutils ];
      script = lib.concatStringsSep "\n" (
        [
          "set -euo pipefail"
          "install -d -m 0755 -o root -g root ${quoted cfg.directory}"
        ]
        ++ lib.mapAttrsToList install cfg.files
        ++ [ removeUndeclared ]
      );
    };
  };
}
