package io.lifeboat.cli;

public final class Bytes {
  private Bytes() {}

  public static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  public static String duration(long millis) {
    if (millis < 1000) return millis + " ms";
    long s = millis / 1000;
    if (s < 60) return String.format("%.1f s", millis / 1000.0);
    return String.format("%dm%02ds", s / 60, s % 60);
  }
}
