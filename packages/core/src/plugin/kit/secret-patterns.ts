/**
 * Heuristics that tell whether a setting's name or value looks like a credential. Service plugins use them to keep
 * secrets out of settings that land in the world-readable Nix store.
 */

/** Name segments that mark a setting as secret-looking (compared case-insensitively, whole segments only). */
export const SECRET_NAME_SEGMENTS: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "pw",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "tokens",
  "key",
  "keys",
  "apikey",
  "credential",
  "credentials",
  "privatekey",
  "otp",
  "totp",
  "psk",
]);

/**
 * Words that mark a setting as secret-looking wherever they occur in its name, separators removed and compared
 * case-insensitively: concatenated names (`SMTPPASSWORD`, `SECRETKEYBASE`, `DEEPL_AUTHKEY`, `hashedPassword`) are
 * caught as well as separated ones. Plain `key` and `pass` are whole-segment words only ({@link SECRET_NAME_SEGMENTS}):
 * as substrings they would flag `monkey`, `KEYBOARD_LAYOUT` or `passport`.
 */
export const SECRET_NAME_WORDS: readonly string[] = [
  "password",
  "passwd",
  "passphrase",
  "passcode",
  "secret",
  "token",
  "credential",
  "apikey",
  "authkey",
  "accesskey",
  "privatekey",
  "privkey",
  "signingkey",
  "encryptionkey",
  "masterkey",
  "sessionkey",
  "hmackey",
  "presharedkey",
  "pwd",
];

/**
 * Name segments that mark a public key, which is no secret (`publicKey`, `VAPID_PUBLIC_KEY`,
 * `authorizedKeys`, `knownHosts`): a name with one of them is secret-looking only through {@link SECRET_NAME_WORDS}.
 */
export const PUBLIC_NAME_SEGMENTS: ReadonlySet<string> = new Set(["public", "pubkey", "authorized", "known"]);

/** Splits a setting name into lowercase segments at `_`, `-`, `.`, spaces and camelCase boundaries. */
export function nameSegments(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[_\-.\s]+/)
    .map((s) => s.toLowerCase())
    .filter((s) => s.length > 0);
}

/**
 * True when a setting name looks like it holds a secret: it contains one of {@link SECRET_NAME_WORDS} anywhere
 * (case-insensitive, separators ignored: `SMTP_PASSWORD`, `SMTPPASSWORD`, `secretKeyBase`, `DEEPL_AUTHKEY`), or,
 * unless it names a public key ({@link PUBLIC_NAME_SEGMENTS}), one of its segments is a word of
 * {@link SECRET_NAME_SEGMENTS} (`api-key`, `APP_KEY`, `OTP_SECRET`; not `monkey`, `KEYBOARD_LAYOUT`, `publicKey`).
 * Names that end in `_FILE` or `File` get no exception here: such a setting may hold only a path under `/run/`
 * (see {@link isRuntimeSecretPath}), which the callers allow for any secret-looking name.
 */
export function isSecretLookingName(name: string): boolean {
  if (containsSecretWord(name)) return true;
  if (isPublicKeyName(name)) return false;
  return nameSegments(name).some((s) => SECRET_NAME_SEGMENTS.has(s));
}

/** True when `name` contains one of {@link SECRET_NAME_WORDS} (case-insensitive, separators ignored). */
export function containsSecretWord(name: string): boolean {
  const joined = name.toLowerCase().replace(/[_\-.\s]+/g, "");
  return SECRET_NAME_WORDS.some((w) => joined.includes(w));
}

/**
 * True when `name` names public keys (`publicKey`, `authorizedKeys`, `knownHosts`: a segment of
 * {@link PUBLIC_NAME_SEGMENTS}) and contains none of {@link SECRET_NAME_WORDS}.
 */
export function isPublicKeyName(name: string): boolean {
  return !containsSecretWord(name) && nameSegments(name).some((s) => PUBLIC_NAME_SEGMENTS.has(s));
}

/**
 * True when `value` is an absolute path under `/run/` (where secret files are installed at run time), without `..`
 * segments: the one thing a secret-looking setting may hold, since the file's content never enters Nix.
 */
export function isRuntimeSecretPath(value: string): boolean {
  return /^\/run\/[^\0]+$/.test(value) && !value.split("/").some((s) => s === ".." || s === ".") && !/\s/.test(value);
}

const CREDENTIAL_SHAPES: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/, what: "a PEM key or certificate" },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: "an AWS access key id" },
  { pattern: /\bGK[0-9a-f]{24}\b/, what: "a Garage access key id" },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, what: "a JSON web token" },
  {
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abpr]-[A-Za-z0-9-]{10,})/,
    what: "an API token",
  },
  { pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i, what: "a URL with a password" },
  { pattern: /\bbearer\s+[A-Za-z0-9._~+/-]{16,}/i, what: "a bearer token" },
];

/**
 * Describes why `value` looks like a credential (e.g. `"an AWS access key id"`), or returns undefined. Besides known
 * shapes, any whitespace-free run of 32 or more characters from the hex/base64 alphabets mixing letters and digits
 * counts as a random key. Paths and URLs are not keys. Never include the value itself in a message.
 */
export function credentialShape(value: string): string | undefined {
  for (const { pattern, what } of CREDENTIAL_SHAPES) if (pattern.test(value)) return what;
  for (const token of value.split(/\s+/)) {
    if (token.length < 32 || token.startsWith("/") || token.startsWith(".") || token.includes("://")) continue;
    if (/^[A-Za-z0-9+/=_-]+$/.test(token) && /[0-9]/.test(token) && /[A-Za-z]/.test(token)) {
      return "a random key (a long run of letters and digits)";
    }
  }
  return undefined;
}
