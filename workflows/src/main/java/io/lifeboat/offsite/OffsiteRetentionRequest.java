package io.lifeboat.offsite;

import io.lifeboat.config.OffsiteConfig;

/** The offsite retention policy applied to one scope, as of the workflow's time. */
public record OffsiteRetentionRequest(OffsiteConfig offsite, String primaryPrefix, String scope,
    long nowMillis) {}
