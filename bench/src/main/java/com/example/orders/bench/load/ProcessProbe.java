package com.example.orders.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU time and memory of the processes on this box, from /proc: the ones ./run started (their pid
 * files under {@code <stack>/pids}, PostgreSQL's postmaster from {@code <stack>/postgres}) plus this
 * process and the whole machine, so the report can show who used the two cores.
 */
public final class ProcessProbe {

  /** A process ./run started; {@code group} sums several (workers-1, workers-2, PostgreSQL backends). */
  public record Tracked(String name, String group, long pid) {}

  /** Cumulative CPU ticks (USER_HZ, 100 per second on Linux) per group, and of the machine. */
  public record CpuSample(long nanoTime, Map<String, Long> groupTicks, long machineBusyTicks, long machineTotalTicks) {}

  private static final Path PROC = Path.of("/proc");
  public static final double TICKS_PER_SECOND = 100.0;

  private final List<Tracked> tracked;

  private ProcessProbe(List<Tracked> tracked) {
    this.tracked = tracked;
  }

  public List<Tracked> tracked() {
    return tracked;
  }

  /** Finds the live processes behind {@code <stack>/pids/*.pid}; stale pid files are ignored. */
  public static ProcessProbe discover(Path stackDir) {
    List<Tracked> found = new ArrayList<>();
    Path pids = stackDir.resolve("pids");
    if (Files.isDirectory(pids)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(pids, "*.pid")) {
        for (Path file : files) {
          String name = file.getFileName().toString().replace(".pid", "");
          String group = name.startsWith("workers") ? "workers" : name.startsWith("relay") ? "relay" : name;
          String expected = switch (group) {
            case "api" -> "api-";
            case "workers" -> "workers-";
            case "relay" -> "relay-";
            case "kafka" -> "kafka.Kafka";
            case "temporal" -> "temporal";
            default -> null; // "postgres" is the launcher; the server itself is found below
          };
          if (expected == null) {
            continue;
          }
          long pid = Long.parseLong(Files.readString(file).trim());
          if (cmdline(pid).contains(expected)) {
            found.add(new Tracked(name, group, pid));
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + pids, e);
      }
    }
    Path postmaster = stackDir.resolve("postgres").resolve("postmaster.pid");
    if (Files.isReadable(postmaster)) {
      try {
        long pid = Long.parseLong(Files.readAllLines(postmaster).getFirst().trim());
        if (cmdline(pid).contains("postgres")) {
          found.add(new Tracked("postgres", "postgres", pid));
        }
      } catch (IOException | RuntimeException ignored) {
        // not running
      }
    }
    found.sort(java.util.Comparator.comparing(Tracked::name));
    return new ProcessProbe(List.copyOf(found));
  }

  public CpuSample sample() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    Map<Long, Long> pgServers = new LinkedHashMap<>();
    for (Tracked t : tracked) {
      if (t.group().equals("postgres")) {
        pgServers.put(t.pid(), 0L);
      } else {
        ticks.merge(t.group(), cpuTicks(t.pid()).orElse(0), Long::sum);
      }
    }
    if (!pgServers.isEmpty()) {
      // the postmaster and every backend it forked (one per pooled connection)
      long sum = 0;
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
        for (Path dir : dirs) {
          String[] stat = statFields(dir.resolve("stat"));
          if (stat == null) {
            continue;
          }
          long pid = Long.parseLong(dir.getFileName().toString());
          long ppid = Long.parseLong(stat[1]);
          if (pgServers.containsKey(pid) || pgServers.containsKey(ppid)) {
            sum += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      ticks.put("postgres", sum);
    }
    ticks.put("bench", cpuTicks(ProcessHandle.current().pid()).orElse(0));
    long[] machine = machineTicks();
    return new CpuSample(System.nanoTime(), ticks, machine[0], machine[1]);
  }

  /** Peak resident set size (VmHWM) in KiB, per tracked JVM and the Temporal server. */
  public Map<String, Long> peakRssKib() {
    Map<String, Long> peaks = new LinkedHashMap<>();
    for (Tracked t : tracked) {
      if (!t.group().equals("postgres")) {
        status(t.pid(), "VmHWM").ifPresent(kib -> peaks.put(t.name(), kib));
      }
    }
    return peaks;
  }

  /** Current resident set size (VmRSS) in KiB per tracked process other than PostgreSQL. */
  public Map<String, Long> rssKib() {
    Map<String, Long> rss = new LinkedHashMap<>();
    for (Tracked t : tracked) {
      if (!t.group().equals("postgres")) {
        status(t.pid(), "VmRSS").ifPresent(kib -> rss.put(t.name(), kib));
      }
    }
    return rss;
  }

  public static double[] loadAverage() {
    try {
      String[] parts = Files.readString(PROC.resolve("loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    } catch (IOException e) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
  }

  private static OptionalLong cpuTicks(long pid) {
    String[] stat = statFields(PROC.resolve(String.valueOf(pid)).resolve("stat"));
    return stat == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(stat[11]) + Long.parseLong(stat[12]));
  }

  /** The fields after "(comm)": [0] state, [1] ppid, ... [11] utime, [12] stime. */
  private static String[] statFields(Path stat) {
    try {
      String line = Files.readString(stat);
      return line.substring(line.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }

  /** {busy, total} jiffies of all CPUs; busy excludes idle and iowait. */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(PROC.resolve("stat")).getFirst().trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException e) {
      return new long[] {0, 0};
    }
  }

  private static OptionalLong status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(PROC.resolve(String.valueOf(pid)).resolve("status"))) {
        if (line.startsWith(field + ":")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // exited
    }
    return OptionalLong.empty();
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(PROC.resolve(String.valueOf(pid)).resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
