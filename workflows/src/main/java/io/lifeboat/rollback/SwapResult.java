package io.lifeboat.rollback;

/**
 * @param replacedDir where the release that was current/ now lives (kept for a post-mortem)
 * @param alreadyDone true when a retry found the swap made by an earlier attempt
 */
public record SwapResult(String replacedDir, boolean alreadyDone) {}
