# The base system every machine of a Fediversity deployment needs.
#
# NixOps4 (nixops4-nixos) builds a machine's whole system from the module the SDK generates, so nothing of the
# machine's earlier configuration survives the first switch unless it is declared again. This module declares what
# keeps the operator in and the machine bootable: the host name, `system.stateVersion`, sshd on the SSH port the SDK
# uses with that port open in the firewall, key-only login, the deploy user with its authorized keys (and, for a
# user other than root, passwordless sudo and a place among Nix's trusted users, since nixops4-nixos copies unsigned
# store paths with `--no-check-sigs`), the boot loader, and the one mail host name of the machine (below). File systems and hardware come from the machine's own
# `hardware-configuration.nix` (see `fedi adopt`).
#
# Shipped with @fediversity/core and copied into every deployment as `nix/fediversity-base.nix`; the generated
# machine modules set `fediversity.base` as data.
{ config, lib, ... }:
let
  inherit (lib)
    mkDefault
    mkIf
    mkMerge
    mkOption
    types
    ;

  cfg = config.fediversity.base;

  isRoot = cfg.deployUser == "root";

  efiLoader = cfg.boot.loader == "systemd-boot" || cfg.boot.loader == "grub-efi";
in
{
  options.fediversity.base = {
    hostName = mkOption {
      type = types.strMatching "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
      description = "Host name of the machine (its name in the deployment).";
    };

    stateVersion = mkOption {
      type = types.strMatching "[0-9]{2}[.][0-9]{2}";
      description = "The NixOS release the machine was installed with (`system.stateVersion`).";
    };

    sshPort = mkOption {
      type = types.port;
      default = 22;
      description = "Port sshd listens on; opened in the firewall.";
    };

    deployUser = mkOption {
      type = types.strMatching "[a-z_][a-z0-9_-]*";
      default = "root";
      description = "User the SDK and NixOps4 log in as.";
    };

    authorizedKeys = mkOption {
      type = types.listOf types.singleLineStr;
      default = [ ];
      description = "OpenSSH public keys allowed to log in as the deploy user.";
    };

    mail.hostName = mkOption {
      type = types.nullOr (
        types.strMatching "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?[.])+[a-z]([a-z0-9-]{0,61}[a-z0-9])?"
      );
      default = null;
      description = ''
        The name the machine's mail server (Postfix) announces, `services.postfix.settings.main.myhostname`.
        The service modules that send mail through a local Postfix each set that option with `mkDefault` to their
        own domain (nixpkgs `mastodon.nix`, and `peertube.nix` through the renamed `services.postfix.hostname`), so
        two services on one machine give conflicting definitions. This one value per machine is a plain
        definition, which wins over their `mkDefault`. `null`: nothing is set.
      '';
    };

    boot = {
      loader = mkOption {
        type = types.enum [
          "systemd-boot"
          "grub"
          "grub-efi"
          "custom"
        ];
        default = "custom";
        description = ''
          Boot loader: `systemd-boot` (EFI), `grub` (BIOS, on `devices`), `grub-efi` (GRUB on EFI), or `custom`
          (the machine's own modules set `boot.loader.*`; this module sets nothing).
        '';
      };

      efiSysMountPoint = mkOption {
        type = types.str;
        default = "/boot";
        description = "Where the EFI system partition is mounted (systemd-boot, grub-efi).";
      };

      canTouchEfiVariables = mkOption {
        type = types.bool;
        default = true;
        description = ''
          Whether the installer may change the firmware's EFI variables (systemd-boot, grub-efi). When false,
          GRUB is installed in the removable-media path the firmware always looks at.
        '';
      };

      devices = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Disks GRUB is installed on (grub), e.g. `/dev/vda`.";
      };
    };
  };

  config = mkMerge [
    {
      networking.hostName = mkDefault cfg.hostName;
      system.stateVersion = cfg.stateVersion;

      services.openssh = {
        enable = true;
        ports = [ cfg.sshPort ];
        openFirewall = true;
        settings = {
          PasswordAuthentication = mkDefault false;
          KbdInteractiveAuthentication = mkDefault false;
          PermitRootLogin = mkDefault "prohibit-password";
        };
      };

      users.users.${cfg.deployUser}.openssh.authorizedKeys.keys = cfg.authorizedKeys;
    }

    (mkIf (!isRoot) {
      # Declared so that the user survives the switch (users.mutableUsers or not).
      users.users.${cfg.deployUser}.isNormalUser = mkDefault true;

      security.sudo.extraRules = [
        {
          users = [ cfg.deployUser ];
          commands = [
            {
              command = "ALL";
              options = [ "NOPASSWD" ];
            }
          ];
        }
      ];

      nix.settings.trusted-users = [ cfg.deployUser ];
    })

    (mkIf (cfg.mail.hostName != null) {
      services.postfix.settings.main.myhostname = cfg.mail.hostName;
    })

    (mkIf (cfg.boot.loader == "systemd-boot") {
      boot.loader.systemd-boot.enable = true;
    })

    (mkIf (cfg.boot.loader == "grub") {
      boot.loader.grub = {
        enable = true;
        devices = cfg.boot.devices;
      };
    })

    (mkIf (cfg.boot.loader == "grub-efi") {
      boot.loader.grub = {
        enable = true;
        efiSupport = true;
        devices = [ "nodev" ];
        efiInstallAsRemovable = !cfg.boot.canTouchEfiVariables;
      };
    })

    (mkIf efiLoader {
      boot.loader.efi = {
        inherit (cfg.boot) efiSysMountPoint canTouchEfiVariables;
      };
    })
  ];
}
