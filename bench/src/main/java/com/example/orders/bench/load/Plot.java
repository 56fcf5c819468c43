package com.example.orders.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML page (inline SVG, no scripts) plotting each stage over time. */
final class Plot {

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"};
  private static final int W = 900;
  private static final int H = 220;
  private static final int LEFT = 60;
  private static final int RIGHT = 150;
  private static final int TOP = 24;
  private static final int BOTTOM = 30;

  private Plot() {}

  static String html(String title, List<LoadReport.Summary> stages, List<Map<String, Object>> timelines) {
    StringBuilder out = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append("</title><style>body{font-family:sans-serif;margin:20px;color:#222}"
            + "h2{margin-top:32px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
            + "</style></head><body><h1>").append(escape(title)).append("</h1>");
    if (stages.size() > 1) {
      out.append(summaryTable(stages));
      Map<String, double[]> rates = new LinkedHashMap<>();
      Map<String, double[]> p99 = new LinkedHashMap<>();
      double[] x = new double[stages.size()];
      double[] offered = new double[stages.size()];
      double[] achieved = new double[stages.size()];
      double[] p99s = new double[stages.size()];
      double[] p50s = new double[stages.size()];
      for (int i = 0; i < stages.size(); i++) {
        x[i] = stages.get(i).offeredRate();
        offered[i] = stages.get(i).offeredRate();
        achieved[i] = stages.get(i).terminalPerSecond();
        p99s[i] = stages.get(i).submitToTerminal().p99();
        p50s[i] = stages.get(i).submitToTerminal().p50();
      }
      rates.put("offered", offered);
      rates.put("terminal/s", achieved);
      p99.put("p50 ms", p50s);
      p99.put("p99 ms", p99s);
      out.append("<h2>Step-up</h2>");
      out.append(chart("orders/s by offered rate", "offered orders/s", x, rates, -1, -1));
      out.append(chart("submit -> terminal latency (ms) by offered rate", "offered orders/s", x, p99, -1, -1));
    }
    for (int i = 0; i < timelines.size(); i++) {
      LoadReport.Summary s = stages.get(i);
      Map<String, Object> t = timelines.get(i);
      int from = (Integer) t.get("measuredFromSecond");
      int to = (Integer) t.get("measuredToSecond");
      int[] sent = (int[]) t.get("sentPerSecond");
      double[] x = new double[sent.length];
      for (int k = 0; k < x.length; k++) {
        x[k] = k;
      }
      out.append("<h2>").append(escape(s.label())).append(String.format(Locale.ROOT, ": %.1f orders/s offered</h2>", s.offeredRate()));
      out.append("<p>").append(escape(String.format(Locale.ROOT,
          "terminal %.1f/s, p50 %.0f ms, p99 %.0f ms, errors %d, load average during %.2f. Shaded: the measured window.",
          s.terminalPerSecond(), s.submitToTerminal().p50(), s.submitToTerminal().p99(), s.errorCount(), s.loadAverageDuring())))
          .append("</p>");
      Map<String, double[]> throughput = new LinkedHashMap<>();
      throughput.put("sent/s", toDouble(sent));
      throughput.put("terminal/s", toDouble((int[]) t.get("terminalPerSecond")));
      out.append(chart("orders per second", "seconds", x, throughput, from, to));
      Map<String, double[]> latency = new LinkedHashMap<>();
      latency.put("p50 ms", (double[]) t.get("p50MsBySendSecond"));
      latency.put("p99 ms", (double[]) t.get("p99MsBySendSecond"));
      out.append(chart("submit -> terminal latency (ms), by second of sending", "seconds", x, latency, from, to));
      Map<String, double[]> queue = new LinkedHashMap<>();
      queue.put("backlog", toDouble((long[]) t.get("backlog")));
      queue.put("in flight", toDouble((int[]) t.get("inFlight")));
      out.append(chart("task-queue backlog and HTTP requests in flight", "seconds", x, queue, from, to));
      @SuppressWarnings("unchecked")
      Map<String, double[]> cpu = (Map<String, double[]>) t.get("cpuCores");
      out.append(chart("CPU (cores) by process", "seconds", x, cpu, from, to));
    }
    return out.append("</body></html>\n").toString();
  }

  private static String summaryTable(List<LoadReport.Summary> stages) {
    StringBuilder t = new StringBuilder("<table><tr><th>offered/s</th><th>terminal/s</th><th>p50 ms</th><th>p99 ms</th>"
        + "<th>max ms</th><th>errors</th><th>backlog max</th><th>sustained</th></tr>");
    for (LoadReport.Summary s : stages) {
      t.append(String.format(Locale.ROOT, "<tr><td>%.1f</td><td>%.1f</td><td>%.0f</td><td>%.0f</td><td>%.0f</td><td>%d</td><td>%d</td><td>%s</td></tr>",
          s.offeredRate(), s.terminalPerSecond(), s.submitToTerminal().p50(), s.submitToTerminal().p99(),
          s.submitToTerminal().max(), s.errorCount(), s.backlogMax(), s.sustained() ? "yes" : "no"));
    }
    return t.append("</table>").toString();
  }

  private static String chart(String title, String xLabel, double[] x, Map<String, double[]> series, int shadeFrom, int shadeTo) {
    double xMin = x.length == 0 ? 0 : x[0];
    double xMax = x.length == 0 ? 1 : x[x.length - 1];
    if (xMax <= xMin) {
      xMax = xMin + 1;
    }
    double yMax = 0;
    for (double[] ys : series.values()) {
      for (double y : ys) {
        if (!Double.isNaN(y)) {
          yMax = Math.max(yMax, y);
        }
      }
    }
    yMax = niceCeiling(yMax);
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">", W, H));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" font-size=\"13\">%s</text>", LEFT, escape(title)));
    if (shadeFrom >= 0) {
      double x0 = sx(shadeFrom, xMin, xMax, plotW);
      double x1 = sx(shadeTo, xMin, xMax, plotW);
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f0f4ff\"/>",
          x0, TOP, Math.max(0, x1 - x0), plotH));
    }
    for (int g = 0; g <= 4; g++) {
      double v = yMax * g / 4;
      double y = TOP + plotH - plotH * g / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, LEFT + plotW, y, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 4, y + 4, label(v)));
    }
    for (int g = 0; g <= 5; g++) {
      double v = xMin + (xMax - xMin) * g / 5;
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
          sx(v, xMin, xMax, plotW), H - 12, label(v)));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + plotW / 2, H - 1, escape(xLabel)));
    int colour = 0;
    for (var e : series.entrySet()) {
      String c = COLORS[colour % COLORS.length];
      List<String> points = new ArrayList<>();
      double[] ys = e.getValue();
      for (int i = 0; i < Math.min(ys.length, x.length); i++) {
        if (!Double.isNaN(ys[i])) {
          points.add(String.format(Locale.ROOT, "%.1f,%.1f", sx(x[i], xMin, xMax, plotW),
              TOP + plotH - plotH * Math.min(ys[i], yMax) / (yMax == 0 ? 1 : yMax)));
        }
      }
      svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(c).append("\" points=\"")
          .append(String.join(" ", points)).append("\"/>");
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
          LEFT + plotW + 10, TOP + colour * 16, c, LEFT + plotW + 24, TOP + 9 + colour * 16, escape(e.getKey())));
      colour++;
    }
    return svg.append("</svg><br>").toString();
  }

  private static double sx(double v, double min, double max, int plotW) {
    return LEFT + (v - min) / (max - min) * plotW;
  }

  private static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String label(double v) {
    return Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf((long) Math.rint(v)) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static double[] toDouble(int[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }

  private static double[] toDouble(long[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
