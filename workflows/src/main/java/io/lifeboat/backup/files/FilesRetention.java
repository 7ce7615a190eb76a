package io.lifeboat.backup.files;

import java.util.List;

/** What {@code restic forget --keep-* --prune} kept and removed (short snapshot ids). */
public record FilesRetention(List<String> kept, List<String> removed) {
  public FilesRetention {
    kept = kept == null ? List.of() : List.copyOf(kept);
    removed = removed == null ? List.of() : List.copyOf(removed);
  }
}
