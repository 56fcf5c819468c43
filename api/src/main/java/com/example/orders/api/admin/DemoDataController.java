package com.example.orders.api.admin;

import com.example.orders.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.example.orders.domain.demo.DemoData;
import java.util.Map;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Present only with {@code orders.demo-data.enabled=true} (the ./run default): loads the demo
 * catalog and customers at start-up and offers POST /admin/reset.
 */
@RestController
@ConditionalOnBooleanProperty("orders.demo-data.enabled")
@Tag(name = "operations")
class DemoDataController implements ApplicationRunner {

  private final DemoData demoData;

  DemoDataController(DemoData demoData) {
    this.demoData = demoData;
  }

  @Override
  public void run(ApplicationArguments args) {
    demoData.loadMissing();
  }

  @Operation(operationId = "resetDemoData", summary = "Restore the demo data",
      description = "Deletes every order, product and customer and loads the demo data again. Reset an idle system. Present only when demo data is switched on. Roles: operators.")
  @ApiResponse(responseCode = "200", description = "Restored")
  @PostMapping("/admin/reset")
  Map<String, String> reset(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller) {
    demoData.reset(caller.subject());
    return Map.of("status", "demo data restored");
  }
}
