# Installs the secret files the Fediversity SDK uploads.
#
# The SDK uploads each file, as root, to `uploadDirectory` (root only, 0700). The service users that must read a
# file only exist once the configuration is active, so the owner and mode cannot be set at upload time: each declared
# file gets its own oneshot unit, `fediversity-secret-<name>.service`, that copies it to `directory` with its owner,
# group and mode before the units that read it start. A missing or unusable file fails only its own unit (and so only
# the units that read it); the others install as usual. `fediversity-secrets.service` runs after all of them and
# removes installed files that are no longer declared. Secret values never pass through Nix or the Nix store: this
# module only sees file names and owners.
#
# The units that read a file (`neededBy`) want its unit and are ordered after it (`Wants=` + `After=`, declared here
# as `wantedBy` + `before`), and are not bound to it: restarting an installer unit restarts nothing else. After new
# files are uploaded, the SDK restarts the installer units of the changed files and then the units that keep what
# they read (its `activate` step); see nix/README.md.
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

  quoted = lib.escapeShellArg;

  # The unit that installs the file `name`.
  installerName = name: "fediversity-secret-${name}";

  installer = name: f: {
    description = "Install the Fediversity secret file ${name}";
    wantedBy = [ "multi-user.target" ] ++ f.neededBy;
    before = f.neededBy;
    after = [
      "local-fs.target"
      "systemd-tmpfiles-setup.service"
    ];
    serviceConfig = {
      Type = "oneshot";
      RemainAfterExit = true;
    };
    path = [ pkgs.coreutils ];
    script = ''
      set -euo pipefail
      install -d -m 0755 -o root -g root ${quoted cfg.directory}
      install -m ${f.mode} -o ${quoted f.owner} -g ${quoted f.group} -T ${quoted cfg.uploadDirectory}/${quoted name} ${quoted cfg.directory}/${quoted name}.tmp
      mv -f ${quoted cfg.directory}/${quoted name}.tmp ${quoted cfg.directory}/${quoted name}
    '';
  };

  installers = map (name: "${installerName name}.service") (lib.attrNames cfg.files);

  # Files installed earlier but no longer declared (e.g. the secrets of a removed instance) are removed, and so are
  # temporary files an interrupted installer left.
  removeUndeclared = ''
    set -euo pipefail
    install -d -m 0755 -o root -g root ${quoted cfg.directory}
    for f in ${quoted cfg.directory}/*; do
      [ -e "$f" ] || continue
      case "''${f##*/}" in
        ${lib.concatMapStringsSep "|" quoted (lib.attrNames cfg.files)}) ;;
        *) rm -f -- "$f" ;;
      esac
    done
  '';

  cleanup = {
    description = "Remove Fediversity secret files that are no longer declared";
    wantedBy = [ "multi-user.target" ];
    wants = installers;
    after = installers;
    # Restarted after the switch, with the new unit files, rather than stopped before it: an earlier version of this
    # unit was required by every reader, and stopping that one would stop them all.
    stopIfChanged = false;
    serviceConfig = {
      Type = "oneshot";
      RemainAfterExit = true;
    };
    path = [ pkgs.coreutils ];
    script = removeUndeclared;
  };
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
              description = ''
                systemd units that read the file when they start: they want the file's installer unit and start
                after it (without being restarted or stopped with it).
              '';
            };
          };
        }
      );
      default = { };
      description = ''
        Secret files to install, by file name (`[a-z0-9][a-z0-9._-]*`: the name is also part of a unit name).
      '';
    };
  };

  config = lib.mkIf (cfg.files != { }) {
    assertions = map (name: {
      assertion = builtins.match "[a-z0-9][a-z0-9._-]*" name != null;
      message = "fediversity.secrets.files.\"${name}\": a file name must match [a-z0-9][a-z0-9._-]*.";
    }) (lib.attrNames cfg.files);

    systemd.tmpfiles.rules = [ "d ${cfg.uploadDirectory} 0700 root root -" ];

    systemd.services =
      lib.mapAttrs' (name: f: lib.nameValuePair (installerName name) (installer name f)) cfg.files
      // {
        fediversity-secrets = cleanup;
      };
  };
}
