package com.example.orders.api.order;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of POST /orders. Prices are never taken from the client: they come from the catalog. */
public record SubmitOrderRequest(
    @NotBlank @Size(max = 64) @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
    String customerId,
    @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid Item> items,
    @NotNull @Valid Address shippingAddress) {

  public record Item(
      @NotBlank @Size(max = 64) @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
      String sku,
      @NotNull @Min(1) @Max(1000) Integer quantity) {}

  /** Free text: see {@link Identifiers#TEXT}. */
  public record Address(
      @NotBlank @Size(max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String name,
      @NotBlank @Size(max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String line1,
      @NotBlank @Size(max = 100) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String city,
      @NotBlank @Size(max = 20) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String postalCode,
      @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as US")
      String country) {}

}
