import type { NixOps4FailureKind } from "./classify.js";

/** A short description of each failure kind, used in error messages. */
export const NIXOPS4_FAILURE_DESCRIPTIONS: Readonly<Record<NixOps4FailureKind, string>> = {
  evaluation: "the deployment's Nix expression failed to evaluate",
  ssh: "a machine could not be reached over SSH",
  copy: "copying the system closure to a machine failed",
  build: "a Nix build failed",
  activation: "the new NixOS configuration failed to activate",
  unknown: "NixOps4 failed",
};

/** What to do about each failure kind. */
export const NIXOPS4_FAILURE_HINTS: Readonly<Record<NixOps4FailureKind, string>> = {
  evaluation:
    "Read the Nix error above (the deployment was run with --show-trace). Nothing was changed on any machine. " +
    "If the error points into generated files, regenerate the deployment; otherwise fix the plugin option or module it names.",
  ssh:
    "Check that the machine is up and reachable on its SSH port, that the deployer key is in root's authorized_keys, " +
    "and that the host key pinned in the spec (ssh.hostPublicKey) is the machine's current one: NixOps4 never trusts " +
    "a host key on first use. Compare with `ssh-keyscan <host>` from a trusted network.",
  copy:
    "The machine was reached but `nix copy` failed: check that Nix is installed on the machine (nix-daemon on PATH), " +
    "that the SSH user may add store paths (root, or a trusted user), and that the machine's disk is not full.",
  build:
    "A derivation failed to build; run the `nix log <drv>` command shown above for the full build log. " +
    "Check the options of the service whose package or configuration failed.",
  activation:
    "The new configuration was copied but switching to it failed. Log in to the machine and run " +
    "`systemctl --failed` and `journalctl -u <unit> -b` for the units named above; the previous generation stays bootable.",
  unknown: "Read NixOps4's output above. Re-run with verbose logging (-v) for more detail.",
};
