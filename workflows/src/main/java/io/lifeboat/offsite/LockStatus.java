package io.lifeboat.offsite;

/**
 * Whether copies are put under S3 Object Lock, as found on the offsite bucket.
 *
 * @param state {@link #ENABLED}, {@link #UNAVAILABLE} (configured, but the bucket or server has
 *     no Object Lock: copied without, never a failure) or {@link #OFF} (not configured)
 * @param reason why it is unavailable, in the server's words
 */
public record LockStatus(String state, String mode, int days, String reason) {
  public static final String ENABLED = "enabled";
  public static final String UNAVAILABLE = "unavailable";
  public static final String OFF = "off";

  public static LockStatus off() {
    return new LockStatus(OFF, null, 0, null);
  }

  public boolean enabled() {
    return ENABLED.equals(state);
  }

  public String describe() {
    return switch (state) {
      case ENABLED -> mode + " " + days + " days";
      case UNAVAILABLE -> "unavailable (" + reason + ")";
      default -> "off";
    };
  }
}
