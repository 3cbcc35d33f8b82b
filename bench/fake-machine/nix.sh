#!/bin/sh
# `nix` on the bench's fake NixOS machines (@version@: filled in by enter-namespace.sh): only `nix --version`. Preflight's facts script does not start it when it
# resolves to a /nix/store/...-nix-VERSION path (it reads the version from the path): every call is logged to
# /run/fake-calls/nix.log (a folder of the fixture) so a test can check that.
echo "$*" >>/run/fake-calls/nix.log
case "$1" in
  --version) echo "nix (Nix) @version@" ;;
  *) echo "fake nix: unsupported: $*" >&2; exit 1 ;;
esac
