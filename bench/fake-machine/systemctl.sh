#!/bin/sh
# `systemctl` on the bench's fake NixOS machines: only `systemctl is-system-running` (what preflight asks; see
# systemctl(1)), which prints the state of a booted machine.
case "$1" in
  is-system-running) echo running ;;
  *) echo "fake systemctl: unsupported: $*" >&2; exit 1 ;;
esac
