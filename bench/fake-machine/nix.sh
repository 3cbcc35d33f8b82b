#!/bin/sh
# `nix` on the bench's fake NixOS machines: only `nix --version`. Preflight's facts script does not start it when it
# resolves to a /nix/store/...-nix-VERSION path (it reads the version from the path): every call is logged to
# /run/fake-calls/nix.log (a folder of the fixture) so a test can check that.
echo "$*" >>/run/fake-calls/nix.log
case "$1" in
  --version) echo "nix (Nix) 2.28.3" ;;
  *) echo "fake nix: unsupported: $*" >&2; exit 1 ;;
esac
