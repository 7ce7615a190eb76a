package io.lifeboat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Debian's headless Chromium: a screenshot of a page as a browser paints it, and its colours. */
final class Chromium {
  private Chromium() {}

  /** Screenshots {@code html} into {@code png} (kept for a person to look at); its pixels. */
  static BufferedImage screenshot(Path html, Path png, int width, int height) throws Exception {
    Files.deleteIfExists(png);
    Path profile = Files.createTempDirectory("lifeboat-chromium");
    Path log = png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "")
        + "-chromium.log");
    Process p = new ProcessBuilder(binary(), "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "--screenshot=" + png, html.toUri().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertEquals(0, p.waitFor(), Files.readString(log));
    return ImageIO.read(png.toFile());
  }

  private static String binary() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(c))) return c;
    }
    return "chromium";
  }

  /** Pixels within a small distance of a colour (antialiasing shifts edges, not fills). */
  static int count(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
        int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
        int db = (p & 0xff) - (rgb & 0xff);
        if (dr * dr + dg * dg + db * db < 300) n++;
      }
    }
    return n;
  }
}
