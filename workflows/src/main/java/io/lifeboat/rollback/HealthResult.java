package io.lifeboat.rollback;

import java.util.List;

/** @param checks one line per URL: "200 http://.../api/health" */
public record HealthResult(boolean healthy, List<String> checks, String commit) {}
