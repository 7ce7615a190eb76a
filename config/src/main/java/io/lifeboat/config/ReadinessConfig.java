package io.lifeboat.config;

/**
 * Recovery readiness (issue 18): a scheduled workflow that checks every recovery path (agents,
 * keys, base backup and WAL in each repository, the offsite recovery point, DNS and ACME).
 *
 * @param everyMinutes how often the schedule {@code readiness-ESTATE} runs it (default 30)
 * @param resolver the DNS server ({@code host} or {@code host:port}) the check resolves each
 *     recovery target's domain with; unset: a target with {@code dns.provider: rfc2136} is
 *     resolved at its {@code dns.server}, any other target's DNS is reported "not configured"
 * @param sampleBytes how many bytes of the newest dump and base backup object are read
 *     through the repository key (default 4096)
 */
public record ReadinessConfig(Integer everyMinutes, String resolver, Integer sampleBytes) {
  public static final ReadinessConfig DEFAULT = new ReadinessConfig(null, null, null);

  public ReadinessConfig {
    everyMinutes = everyMinutes != null ? everyMinutes : 30;
    sampleBytes = sampleBytes != null ? sampleBytes : 4096;
    if (resolver != null && resolver.isBlank()) resolver = null;
  }
}
