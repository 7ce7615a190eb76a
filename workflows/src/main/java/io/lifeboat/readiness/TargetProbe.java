package io.lifeboat.readiness;

import io.lifeboat.config.ServerTargetConfig;

/**
 * The settings a server recovery needs from outside: the target's domain resolves (through
 * {@code resolver}, else the rfc2136 server of the target's DNS settings) and its ACME
 * directory answers.
 *
 * @param resolver readiness.resolver ({@code host[:port]}), or null
 */
public record TargetProbe(ServerTargetConfig target, String resolver) {}
