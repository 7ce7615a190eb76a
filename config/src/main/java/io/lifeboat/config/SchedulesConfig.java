package io.lifeboat.config;

/**
 * @param catchupWindowMinutes runs missed while Temporal was down are still taken if they are
 *     at most this late
 */
public record SchedulesConfig(String timezone, Integer catchupWindowMinutes, Boolean paused) {
  public static final SchedulesConfig DEFAULT = new SchedulesConfig(null, null, null);

  public SchedulesConfig {
    timezone = timezone != null ? timezone : "UTC";
    catchupWindowMinutes = catchupWindowMinutes != null ? catchupWindowMinutes : 60;
    paused = paused != null ? paused : Boolean.FALSE;
  }
}
