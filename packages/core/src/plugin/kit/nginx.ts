import type { NixInput } from "../../nix/index.js";

/**
 * Settings of an nginx virtual host (`services.nginx.virtualHosts.<domain>`, or a module's own vhost option such as
 * `services.pixelfed.nginx`) that serve it over HTTPS with a Let's Encrypt certificate: `enableACME` and `forceSSL`
 * (HTTP redirects to HTTPS), plus any `extra` vhost settings. The machine module adds `security.acme` (terms and
 * account e-mail) when an instance declares `acme: true`.
 */
export function acmeVirtualHost(extra: Record<string, NixInput> = {}): Record<string, NixInput> {
  return { enableACME: true, forceSSL: true, ...extra };
}
