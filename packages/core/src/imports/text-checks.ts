/**
 * Textual checks of a user's NixOS module file: they look for an option being set in the text, without evaluating
 * it. They accept the forms NixOS users write and `nixos-generate-config` prints (`fileSystems."/" = …`,
 * `fileSystems = { "/" = …; }`, `boot.loader.grub.enable = …`, `boot = { loader = …; }`, …) and can be fooled by
 * Nix that computes the option (a `lib.mkIf`, an attribute built from a variable): they catch the usual mistake —
 * a configuration without the machine's hardware file — not every mistake. Comments are ignored.
 */

/** The text without `#` line comments and `/* … *\/` block comments (strings are kept as they are). */
function withoutComments(text: string): string {
  let out = "";
  let i = 0;
  let inString: '"' | "''" | null = null;
  while (i < text.length) {
    const c = text[i]!;
    if (inString === '"') {
      out += c;
      if (c === "\\") {
        out += text[i + 1] ?? "";
        i += 2;
        continue;
      }
      if (c === '"') inString = null;
      i += 1;
    } else if (inString === "''") {
      if (text.startsWith("'''", i) || text.startsWith("''$", i) || text.startsWith("''\\", i)) {
        out += text.slice(i, i + 3);
        i += 3;
      } else if (text.startsWith("''", i)) {
        out += "''";
        inString = null;
        i += 2;
      } else {
        out += c;
        i += 1;
      }
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i += 1;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 2;
      out += " ";
    } else if (c === '"') {
      inString = '"';
      out += c;
      i += 1;
    } else if (text.startsWith("''", i)) {
      inString = "''";
      out += "''";
      i += 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

const ROOT_FILE_SYSTEM = [
  /\bfileSystems\s*\.\s*"\/"\s*[.=]/, // fileSystems."/" = …  or  fileSystems."/".device = …
  /\bfileSystems\s*=\s*(?:lib\.)?(?:mkMerge\s*\[\s*)?\{[\s\S]*?(?:^|[\s;{])"\/"\s*[.=]/m, // fileSystems = { "/" = …; }
];

const BOOT_LOADER = [
  /\bboot\s*\.\s*loader\s*[.=]/, // boot.loader.grub.enable = …  or  boot.loader = { … }
  /\bboot\s*=\s*\{[\s\S]*?(?:^|[\s;{])loader\s*[.=]/m, // boot = { loader.grub… }
];

/** True when the module text sets `fileSystems."/"` (a textual check; see this file's notes). */
export function textDefinesRootFileSystem(text: string): boolean {
  const code = withoutComments(text);
  return ROOT_FILE_SYSTEM.some((re) => re.test(code));
}

/** True when the module text sets something under `boot.loader` (a textual check; see this file's notes). */
export function textDefinesBootLoader(text: string): boolean {
  const code = withoutComments(text);
  return BOOT_LOADER.some((re) => re.test(code));
}
