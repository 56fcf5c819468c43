package com.example.orders.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --name value} or {@code --name=value} options; every option must be known to the command. */
public final class Args {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> used = new TreeSet<>();

  public Args(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException("expected --option, got " + arg);
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        values.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(arg.substring(2), args[++i]);
      } else {
        values.put(arg.substring(2), "true");
      }
    }
  }

  public String string(String name, String fallback) {
    used.add(name);
    return values.getOrDefault(name, fallback);
  }

  public int integer(String name, int fallback) {
    String v = string(name, null);
    return v == null ? fallback : Integer.parseInt(v);
  }

  public double decimal(String name, double fallback) {
    String v = string(name, null);
    return v == null ? fallback : Double.parseDouble(v);
  }

  public boolean flag(String name, boolean fallback) {
    String v = string(name, null);
    return v == null ? fallback : Boolean.parseBoolean(v);
  }

  /** These options with {@code name} set to {@code value} unless given: a command's own default for another's option. */
  public Args withDefault(String name, String value) {
    values.putIfAbsent(name, value);
    return this;
  }

  /** Fails on an option no getter asked for: a typo must not silently run the default. */
  public void rejectUnknown() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(used);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown)
          + " (known: --" + String.join(", --", used) + ")");
    }
  }
}
