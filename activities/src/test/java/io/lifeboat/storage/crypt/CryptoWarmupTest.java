package io.lifeboat.storage.crypt;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The warm-up the worker starts: its calls round-trip (it checks each) and its thread ends. */
class CryptoWarmupTest {
  @Test
  void roundTripsAndItsThreadEnds() throws Exception {
    CryptoWarmup.run(500);
    Thread t = CryptoWarmup.inBackground();
    t.join(60_000);
    assertFalse(t.isAlive(), "the warm-up thread ended");
  }
}
