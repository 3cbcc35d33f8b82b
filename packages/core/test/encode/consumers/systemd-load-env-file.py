#!/usr/bin/env python3
"""Reads an EnvironmentFile with systemd's own parser and prints what it defines as JSON.

The parser is load_env_file() of libsystemd-shared, the library the systemd binaries link; systemd calls the same
function for every EnvironmentFile= of a unit (exec_context_load_environment() in src/core/execute.c; the function
is in src/basic/env-file.c). Signature (systemd 252 and later): int load_env_file(FILE *f, const char *fname,
char ***ret). Output: {"ok": true, "env": ["NAME=value", ...]} or {"ok": false, "errno": n}.
usage: systemd-load-env-file.py FILE
"""
import ctypes
import glob
import json
import sys

candidates = sorted(
    glob.glob("/usr/lib/*/systemd/libsystemd-shared-*.so")
    + glob.glob("/usr/lib/systemd/libsystemd-shared-*.so")
    + glob.glob("/lib/systemd/libsystemd-shared-*.so")
)
if not candidates:
    print(json.dumps({"ok": False, "missing": "libsystemd-shared"}))
    sys.exit(3)
lib = ctypes.CDLL(candidates[0])
lib.load_env_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p))]
lib.load_env_file.restype = ctypes.c_int
strv = ctypes.POINTER(ctypes.c_char_p)()
r = lib.load_env_file(None, sys.argv[1].encode(), ctypes.byref(strv))
if r < 0:
    print(json.dumps({"ok": False, "errno": -r}))
    sys.exit(1)
env = []
i = 0
while strv[i] is not None:
    env.append(strv[i].decode("utf-8", "surrogateescape"))
    i += 1
print(json.dumps({"ok": True, "library": candidates[0], "env": env}))
