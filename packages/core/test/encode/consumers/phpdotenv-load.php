<?php
// Reads a .env file with the real vlucas/phpdotenv (Debian's php-vlucas-phpdotenv, /usr/share/php/Dotenv) and
// prints what it defines as JSON: {"ok": true, "env": {"NAME": "value", ...}} or {"ok": false, "error": "..."}.
// createArrayBacked() loads into an array instead of the process environment, with the parser and resolver Laravel
// uses (Dotenv::create(...) in Illuminate\Foundation\Bootstrap\LoadEnvironmentVariables).
// usage: php phpdotenv-load.php DIR FILE
require_once 'Dotenv/autoload.php';
try {
    $loaded = Dotenv\Dotenv::createArrayBacked($argv[1], $argv[2])->load();
    echo json_encode(['ok' => true, 'env' => (object) $loaded], JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
} catch (Throwable $e) {
    echo json_encode(['ok' => false, 'error' => get_class($e) . ': ' . $e->getMessage()], JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    exit(1);
}
