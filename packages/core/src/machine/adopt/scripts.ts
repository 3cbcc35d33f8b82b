/**
 * The fixed POSIX sh scripts `adoptMachine` runs on a machine (fed on standard input to `sh -s`; nothing from the
 * spec is part of them). Both print `key=value` lines between a start and an end marker; multi-line values are
 * base64 (one line). They change nothing on the machine.
 * @module
 */

/**
 * The Nix function both evaluations apply to the machine's NixOS system (`{ config, options, ... }`): the
 * stateVersion only when it is defined (`options.system.stateVersion.highestPrio` below 1500, the priority of
 * `mkOptionDefault`: nixpkgs nixos/modules/misc/version.nix defaults it to the release and warns with exactly this
 * test), the boot loader's id (`system.boot.loader.id`, "grub" in grub/grub.nix, "systemd-boot" in
 * systemd-boot/systemd-boot.nix), GRUB's devices (grub.nix folds `boot.loader.grub.device` into `devices`) and
 * EFI support, and the ESP settings of loader/efi.nix. Every value is read through `tryEval`, so one failing option
 * gives `null`, not a failed evaluation.
 */
export const ADOPT_NIX_FUNCTION = `s:
let
  c = s.config;
  o = s.options;
  try = v: let r = builtins.tryEval (builtins.deepSeq v v); in if r.success then r.value else null;
  prio = try (o.system.stateVersion.highestPrio or null);
  defined = prio != null && prio < 1500;
in
{
  stateVersion = if defined then try (c.system.stateVersion or null) else null;
  stateVersionDefined = defined;
  loader = try (c.system.boot.loader.id or null);
  grubDevices = try (c.boot.loader.grub.devices or null);
  grubEfiSupport = try (c.boot.loader.grub.efiSupport or null);
  efiSysMountPoint = try (c.boot.loader.efi.efiSysMountPoint or null);
  canTouchEfiVariables = try (c.boot.loader.efi.canTouchEfiVariables or null);
}`;

/**
 * Run as the login user. Prints: `user`, `uid`, the deploy user's authorized keys files (the two NixOS' sshd.nix
 * names in `AuthorizedKeysFile`: `%h/.ssh/authorized_keys`, with the home from the passwd database as sshd uses
 * it, and `/etc/ssh/authorized_keys.d/%u`), `firmware` (`efi` when `/sys/firmware/efi` exists), the evaluation of
 * {@link ADOPT_NIX_FUNCTION} over the machine's configuration — a flake at /etc/nixos (its
 * `nixosConfigurations.<hostname>`, else `.default`, as nixos-rebuild picks it) or else `<nixpkgs/nixos>` with the
 * session's NIX_PATH (what `nixos-rebuild` builds on a channel machine) — and the literal `system.stateVersion = "…"`
 * lines of the configuration file (`nix-instantiate --find-file nixos-config`, else /etc/nixos/configuration.nix)
 * and of /etc/nixos/*.nix, as a fallback.
 */
export const ADOPT_USER_SCRIPT = `# fediversity adopt: facts of the login user and the configuration (read-only)
LC_ALL=C; export LC_ALL
b64() { base64 | tr -d '\\n'; }
echo "fedi-adopt=1"
user=$(id -un 2>/dev/null)
echo "user=$user"
echo "uid=$(id -u 2>/dev/null)"
home=$(getent passwd "$user" 2>/dev/null | cut -d: -f6)
[ -n "$home" ] || home=$HOME
for f in "$home/.ssh/authorized_keys" "/etc/ssh/authorized_keys.d/$user"; do
  if [ -r "$f" ] && [ -f "$f" ]; then
    printf 'keys=%s %s\\n' "$(printf '%s' "$f" | b64)" "$(head -c 262144 "$f" | b64)"
  elif [ -e "$f" ]; then
    printf 'keys-unreadable=%s\\n' "$(printf '%s' "$f" | b64)"
  fi
done
if [ -d /sys/firmware/efi ]; then echo "firmware=efi"; else echo "firmware=bios"; fi
fn='${ADOPT_NIX_FUNCTION}'
err=$(mktemp 2>/dev/null || echo /tmp/fedi-adopt-err.$$)
evaluated=""
if [ -f /etc/nixos/flake.nix ] && command -v nix >/dev/null 2>&1; then
  sys='let f = builtins.getFlake "/etc/nixos"; h = builtins.head (builtins.match "([^\\n]*)\\n*" (builtins.readFile /proc/sys/kernel/hostname)); cs = f.nixosConfigurations; in if h != "" && builtins.hasAttr h cs then builtins.getAttr h cs else cs.default'
  if out=$(nix --extra-experimental-features 'nix-command flakes' eval --impure --json --expr "($fn) ($sys)" 2>"$err"); then
    echo "eval.flake.rc=0"; printf 'eval.flake.out=%s\\n' "$(printf '%s' "$out" | b64)"; evaluated=1
  else
    echo "eval.flake.rc=1"; printf 'eval.flake.err=%s\\n' "$(tail -n 5 "$err" | b64)"
  fi
fi
if [ -z "$evaluated" ]; then
  if ! command -v nix-instantiate >/dev/null 2>&1; then
    echo "eval.channel.rc=127"
  elif out=$(nix-instantiate --eval --strict --json -E "($fn) (import <nixpkgs/nixos> { })" 2>"$err"); then
    echo "eval.channel.rc=0"; printf 'eval.channel.out=%s\\n' "$(printf '%s' "$out" | b64)"
  else
    echo "eval.channel.rc=1"; printf 'eval.channel.err=%s\\n' "$(tail -n 5 "$err" | b64)"
  fi
fi
rm -f "$err"
conf=$(nix-instantiate --find-file nixos-config 2>/dev/null) || conf=/etc/nixos/configuration.nix
for f in "$conf" /etc/nixos/*.nix; do
  [ -f "$f" ] && [ -r "$f" ] || continue
  grep -hoE 'system\\.stateVersion[[:space:]]*=[[:space:]]*"[^"]*"' "$f" 2>/dev/null | head -n 5 | while IFS= read -r line; do
    printf 'text=%s %s\\n' "$(printf '%s' "$f" | b64)" "$(printf '%s' "$line" | b64)"
  done
done
echo "fedi-adopt-end=1"
`;

/**
 * Run as root (through `sudo -n` for a non-root login user): `nixos-generate-config --show-hardware-config` (the
 * file systems, swap, kernel modules and platform the new configuration must keep; nixpkgs
 * nixos/modules/installer/tools/nixos-generate-config.pl prints it to stdout and writes nothing for this flag), and
 * which boot loader files exist, as a fallback when the configuration cannot be evaluated: systemd-boot's
 * `loader/loader.conf` on an ESP at /boot, /boot/efi or /efi, and GRUB's `/boot/grub/grub.cfg`.
 */
export const ADOPT_ROOT_SCRIPT = `# fediversity adopt: facts only root can read (read-only)
LC_ALL=C; export LC_ALL
b64() { base64 | tr -d '\\n'; }
echo "fedi-adopt-root=1"
echo "uid=$(id -u 2>/dev/null)"
err=$(mktemp 2>/dev/null || echo /tmp/fedi-adopt-err.$$)
if ! command -v nixos-generate-config >/dev/null 2>&1; then
  echo "hw.rc=127"
elif out=$(nixos-generate-config --show-hardware-config 2>"$err"); then
  echo "hw.rc=0"; printf 'hw.out=%s\\n' "$(printf '%s\\n' "$out" | b64)"
else
  echo "hw.rc=1"; printf 'hw.err=%s\\n' "$(tail -n 5 "$err" | b64)"
fi
rm -f "$err"
for d in /boot /boot/efi /efi; do
  if [ -f "$d/loader/loader.conf" ]; then echo "boot.systemd-boot=$d"; break; fi
done
if [ -f /boot/grub/grub.cfg ]; then echo "boot.grub=1"; fi
echo "fedi-adopt-root-end=1"
`;
