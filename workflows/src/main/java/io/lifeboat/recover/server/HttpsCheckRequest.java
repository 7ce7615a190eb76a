package io.lifeboat.recover.server;

import io.lifeboat.config.ServerTargetConfig;

/**
 * @param healthPath the app's health path (production's healthUrl path, e.g. /api/health)
 * @param dataPath a path that serves data read from the database (the sample's /api/stats),
 *     or null to check health only
 */
public record HttpsCheckRequest(ServerTargetConfig target, String healthPath, String dataPath) {}
