package io.lifeboat.config;

/** The promises made to the business (the seed: RTO 30 min database, 2 h server, RPO 15 min). */
public record TargetsConfig(
    Integer databaseRtoMinutes,
    Integer serverRtoMinutes,
    Integer applicationRtoMinutes,
    Integer rpoMinutes) {
  public static final TargetsConfig DEFAULT = new TargetsConfig(null, null, null, null);

  public TargetsConfig {
    databaseRtoMinutes = databaseRtoMinutes != null ? databaseRtoMinutes : 30;
    serverRtoMinutes = serverRtoMinutes != null ? serverRtoMinutes : 120;
    applicationRtoMinutes = applicationRtoMinutes != null ? applicationRtoMinutes : 15;
    rpoMinutes = rpoMinutes != null ? rpoMinutes : 15;
  }
}
