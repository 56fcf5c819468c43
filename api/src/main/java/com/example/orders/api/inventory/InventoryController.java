package com.example.orders.api.inventory;

import com.example.orders.api.order.Identifiers;
import com.example.orders.api.problem.ApiException;
import com.example.orders.security.Caller;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.inventory.Product;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import com.example.orders.api.openapi.ErrorResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/inventory")
@Tag(name = "catalog")
@Validated
class InventoryController {

  private final InventoryService inventory;
  private final AuditLog audit;

  InventoryController(InventoryService inventory, AuditLog audit) {
    this.inventory = inventory;
    this.audit = audit;
  }

  record Catalog(List<Product> products) {}

  /** A product and its stock; operators also see who changed it last ({@code changes}, newest first). */
  record ProductView(String sku, String name, BigDecimal price, int available, int reserved, int sold,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<AuditLog.Entry> changes) {

    static ProductView of(Product p, List<AuditLog.Entry> changes) {
      return new ProductView(p.sku(), p.name(), p.price(), p.available(), p.reserved(), p.sold(), changes);
    }
  }

  /** Create (all fields) or update (any of them) a product; {@code available} restocks. */
  record ProductChange(
      @Schema(nullable = true, description = "Absent or null: unchanged", example = "Product 4")
      @Size(min = 1, max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE)
      String name,
      @Schema(nullable = true, description = "Absent or null: unchanged", example = "45.00")
      @DecimalMin("0.00") @DecimalMax("1000000.00") @Digits(integer = 7, fraction = 2) BigDecimal price,
      @Schema(nullable = true, description = "Absent or null: unchanged", example = "150") @Min(0) @Max(1_000_000_000) Integer available) {}

  @Operation(operationId = "listProducts", summary = "The catalog with stock",
      description = "Roles: customers and operators.")
  @ApiResponse(responseCode = "200", description = "Every product, SKU ascending")
  @GetMapping
  Catalog list() {
    return new Catalog(inventory.listProducts());
  }

  @Operation(operationId = "getProduct", summary = "One product and its stock",
      description = "Roles: customers and operators; operators also see its recent changes.")
  @ApiResponse(responseCode = "200", description = "The product")
  @ErrorResponses({404})
  @GetMapping("/{sku}")
  ProductView get(@Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "product_1") @PathVariable String sku) {
    Product product = inventory.findProduct(sku).orElseThrow(() -> ApiException.notFound("Product " + sku));
    return ProductView.of(product, caller.isOperator() ? audit.about(AuditLog.product(sku), 10) : null);
  }

  @Operation(operationId = "putProduct", summary = "Create a product or change it (restock, reprice)",
      description = "A new product needs name, price and available; an existing one takes any of them. Recorded with who did it. Roles: operators.")
  @ApiResponse(responseCode = "200", description = "Changed")
  @ApiResponse(responseCode = "201", description = "Created")
  @ErrorResponses({400, 413, 415})
  @PutMapping(path = "/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Product> put(
      @Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "product_4") @PathVariable @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @Valid @RequestBody ProductChange change) {
    boolean exists = inventory.findProduct(sku).isPresent();
    if (!exists && (change.name() == null || change.price() == null || change.available() == null)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "incomplete-product", "Incomplete product",
          "A new product needs name, price and available");
    }
    Product product = inventory.upsertProduct(sku, change.name(), change.price(), change.available(), caller.subject());
    return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED).body(product);
  }
}
