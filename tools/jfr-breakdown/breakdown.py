#!/usr/bin/env python3
"""Where a JVM's CPU went, by component: a text stand-in for a flame graph (docs/performance.md).

Usage: python3 tools/jfr-breakdown/breakdown.py RECORDING.jfr [SKIP_SECONDS]

Reads the recording's CPU samples (jdk.ExecutionSample) with the JDK's `jfr` tool (from JAVA_HOME,
else PATH), drops those of the first SKIP_SECONDS (start-up and warm-up), and charges each sample to
the innermost frame that belongs to a known component (walking from the leaf outwards), so JDK code
counts for whoever called it: BigInteger under the JWT check is "JWT (RSA) validation".
Record with, e.g.:
  ORDERS_JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=240m \
    -XX:MetaspaceSize=128m -XX:StartFlightRecording=filename=/tmp/jfr/%p.jfr,settings=profile,dumponexit=true" \
    ./run bench load --rate 10 --duration 40 --warmup 10
"""
import collections
import datetime
import json
import os
import shutil
import subprocess
import sys

# (prefix of the frame's class, component); the first match walking outwards from the leaf wins
COMPONENTS = [
    ("ch.qos.logback", "logging"), ("org.slf4j", "logging"),
    ("org.springframework.boot.loader", "class/resource loading"), ("jdk.internal.loader", "class/resource loading"),
    ("io.micrometer", "metrics/tracing"), ("io.opentelemetry", "metrics/tracing"),
    ("io.opentracing", "metrics/tracing"), ("net.ttddyy", "metrics/tracing"),
    ("com.example.orders.temporal.codec", "payload codec"), ("javax.crypto", "payload codec"), ("com.sun.crypto", "payload codec"),
    ("com.nimbusds", "JWT (RSA) validation"), ("java.math.BigInteger", "JWT (RSA) validation"),
    ("java.math.MutableBigInteger", "JWT (RSA) validation"),
    ("org.postgresql", "JDBC"), ("com.zaxxer", "JDBC"), ("org.springframework.jdbc", "JDBC"),
    ("io.temporal", "Temporal SDK"), ("io.grpc", "gRPC"), ("com.google.protobuf", "protobuf"),
    ("tools.jackson", "JSON"), ("com.fasterxml", "JSON"),
    ("org.springframework.security", "security"), ("org.springframework.web", "Spring MVC"),
    ("org.apache.catalina", "Tomcat"), ("org.apache.tomcat", "Tomcat"), ("org.apache.coyote", "Tomcat"),
    ("com.example", "application"),
]


def jfr_tool():
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "jfr"), os.X_OK):
        return os.path.join(home, "bin", "jfr")
    found = shutil.which("jfr")
    if not found:
        sys.exit("breakdown: no jfr tool: set JAVA_HOME to a JDK 17+")
    return found


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def samples(recording, skip):
    """The recording's CPU samples after its first `skip` seconds, each as its frames, leaf first."""
    printed = subprocess.run([jfr_tool(), "print", "--json", "--stack-depth", "64", "--events",
                              "jdk.ExecutionSample", recording], capture_output=True, text=True, check=True).stdout
    events = json.loads(printed)["recording"]["events"]
    if not events:
        sys.exit("no CPU samples in " + recording)
    start = min(instant(e["values"]["startTime"]) for e in events) + skip
    return [[(f["method"]["type"]["name"].replace("/", "."), f["method"]["name"])
             for f in e["values"]["stackTrace"]["frames"]]
            for e in events if instant(e["values"]["startTime"]) >= start]


def component_of(class_name):
    return next((c for prefix, c in COMPONENTS if class_name.startswith(prefix)), None)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    recording, skip = sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else 0.0
    counts = collections.Counter()
    for frames in samples(recording, skip):
        counts[next((c for c in (component_of(cls) for cls, _ in frames) if c), "other (JDK)")] += 1
    total = sum(counts.values())
    print(f"{recording}: {total} CPU samples after the first {skip:.0f} s")
    for component, n in counts.most_common():
        print(f"  {component:24s} {n:5d} {100 * n / total:5.1f} %")


if __name__ == "__main__":
    main()
