package com.example.orders.devtools.scratch;

import java.io.IOException;
import java.nio.file.Path;
import org.springframework.util.FileSystemUtils;

/** The temporary directories that tests and benchmarks make for the processes they start. */
public final class ScratchDirectory {

  private ScratchDirectory() {}

  /** Removes a directory tree; a temporary directory left behind is harmless, so failures are ignored. */
  public static void deleteQuietly(Path dir) {
    try {
      FileSystemUtils.deleteRecursively(dir);
    } catch (IOException e) {
      // left for the operating system's cleaning of its temporary directory
    }
  }
}
