package io.lifeboat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * The one byte counter: what a stored object's read-back size is checked with (dump, archive,
 * verification) and what the base backup's raw size and progress come from. Every way of
 * consuming bytes counts, and the end of the stream adds nothing.
 */
class CountingInputStreamTest {
  @Test
  void singleBytesArraysAndSkipsAllCountAndTheEndAddsNothing() throws Exception {
    CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(new byte[100]));
    in.read();
    assertEquals(1, in.count());
    in.read(new byte[10], 0, 10);
    assertEquals(11, in.count());
    in.skip(9);
    assertEquals(20, in.count());
    assertEquals(80, in.readAllBytes().length);
    assertEquals(100, in.count());
    assertEquals(-1, in.read());
    assertEquals(-1, in.read(new byte[4], 0, 4));
    assertEquals(100, in.count());
  }
}
