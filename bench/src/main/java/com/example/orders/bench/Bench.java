package com.example.orders.bench;

import com.example.orders.bench.events.EventsBenchmark;
import com.example.orders.bench.hotsku.HotSkuBenchmark;
import com.example.orders.bench.load.LoadCommand;

/**
 * {@code ./run bench [load|step-up|ceiling|hot-sku|events] [options]}. load and step-up drive the running
 * service over HTTP (events too, timing the order events on Kafka meanwhile, then a backlog's drain); ceiling runs the order's workflows on no-op activities straight on Temporal;
 * hot-sku drives the real InventoryService against its own PostgreSQL.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 || args[0].startsWith("--") ? "load" : args[0];
    int from = args.length == 0 || args[0].startsWith("--") ? 0 : 1;
    int status;
    try {
      status = switch (command) {
        case "load" -> LoadCommand.load(new Args(args, from));
        case "step-up" -> LoadCommand.stepUp(new Args(args, from));
        case "ceiling" -> LoadCommand.ceiling(new Args(args, from));
        case "hot-sku" -> HotSkuBenchmark.run(new Args(args, from));
        case "events" -> EventsBenchmark.run(new Args(args, from));
        case "help", "-h", "--help" -> {
          System.out.println(LoadCommand.HELP_LOAD + "\n" + LoadCommand.HELP_STEP_UP + "\n" + LoadCommand.HELP_CEILING + "\n" + HotSkuBenchmark.HELP + "\n" + EventsBenchmark.HELP);
          yield 0;
        }
        default -> throw new IllegalArgumentException("unknown command " + command + " (load, step-up, ceiling, hot-sku, events, help)");
      };
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      status = 2;
    }
    System.exit(status);
  }
}
