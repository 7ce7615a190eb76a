package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;
import java.util.List;

/**
 * Reads objects back from the offsite bucket and compares their SHA-256 with the one recorded
 * when they were copied (and, for a backup's data object, with its manifest's).
 *
 * @param keys relative keys to check; null for every object under the scope (the deep check)
 */
public record VerifyCopyRequest(OffsiteConfig offsite, String primaryPrefix, String scope,
    List<String> keys) {}
