package com.example.orders.api.inventory;

import com.example.orders.api.order.Identifiers;
import com.example.orders.api.problem.ApiException;
import com.example.orders.inventory.InventoryService;
import com.example.orders.inventory.Product;
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
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/inventory")
@Validated
class InventoryController {

  private final InventoryService inventory;

  InventoryController(InventoryService inventory) {
    this.inventory = inventory;
  }

  record Catalog(List<Product> products) {}

  /** Create (all fields) or update (any of them) a product; {@code available} restocks. */
  record ProductChange(
      @Size(min = 1, max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE)
      String name,
      @DecimalMin("0.00") @DecimalMax("1000000.00") @Digits(integer = 7, fraction = 2) BigDecimal price,
      @Min(0) @Max(1_000_000_000) Integer available) {}

  @GetMapping
  Catalog list() {
    return new Catalog(inventory.listProducts());
  }

  @GetMapping("/{sku}")
  Product get(@PathVariable String sku) {
    return inventory.findProduct(sku).orElseThrow(() -> ApiException.notFound("Product " + sku));
  }

  @PutMapping(path = "/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Product> put(
      @PathVariable @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String sku,
      @Valid @RequestBody ProductChange change) {
    boolean exists = inventory.findProduct(sku).isPresent();
    if (!exists && (change.name() == null || change.price() == null || change.available() == null)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "incomplete-product", "Incomplete product",
          "A new product needs name, price and available");
    }
    Product product = inventory.upsertProduct(sku, change.name(), change.price(), change.available());
    return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED).body(product);
  }
}
