#!/bin/sh
# Runs inside `unshare --mount --propagation private` (see ../fake-machine.ts): makes this mount namespace look like
# a NixOS machine to what it starts (sshd and its sessions), cheaply and without touching the host. /etc/os-release
# says NixOS; /run is a fresh tmpfs with /run/systemd/system and /run/current-system/sw/bin, whose nix and systemctl
# are symlinks into /nix/store as on NixOS. The store is a fresh tmpfs too (hiding the host's store from the
# sessions only), so preflight's facts script reads the Nix version from the store path of nix without starting it.
# ../fake-machine.ts creates /nix/store on a host without it; should there still be none (nothing to mount on), nix
# and systemctl are plain files in /run/current-system/sw/bin, and the facts script runs `nix --version` (the script
# double), which the benchmark reports as a warning. /run/fake-calls is the
# fixture's folder ROOTDIR/calls, where the doubles log their calls. Usage:
# enter-namespace.sh ROOTDIR NIX-VERSION COMMAND...
set -eu
root=$1
nix_version=$2
shift 2
here=$(dirname "$0")
mount --bind "$root/os-release" /etc/os-release
mount --bind "$root/nsswitch.conf" /etc/nsswitch.conf
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/sshd /run/systemd/system /run/current-system/sw/bin /run/fake-home /run/fake-calls
mount --bind "$root/calls" /run/fake-calls
bin=/run/current-system/sw/bin
install_tool() { # NAME SCRIPT STORE-NAME: the script, with @version@ replaced by the Nix version, as bin/NAME
  if [ -d /nix/store ]; then
    file=/nix/store/$3/bin/$1
    mkdir -p "/nix/store/$3/bin"
    ln -s "$file" "$bin/$1"
  else
    file=$bin/$1
  fi
  sed "s/@version@/$nix_version/g" "$here/$2" >"$file"
  chmod 0755 "$file"
}
if [ -d /nix/store ]; then mount -t tmpfs -o mode=0755 tmpfs /nix/store; fi
install_tool nix nix.sh "0a4mk2ld5xw7fcjvkvgq0swvg3bp3lj1-nix-$nix_version"
install_tool systemctl systemctl.sh 1ad1yqfpsbg6bf4r6kq6d5xbyxr53pyf-systemd-257.5
exec "$@"
