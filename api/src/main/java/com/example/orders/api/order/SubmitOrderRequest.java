package com.example.orders.api.order;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of POST /orders. Prices are never taken from the client: they come from the catalog. */
@Schema(name = "SubmitOrderRequest")
public record SubmitOrderRequest(
    @Schema(description = "Whose order; a customer may name only itself", example = "user_1")
    @NotBlank @Size(max = 64) @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
    String customerId,
    @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid Item> items,
    @NotNull @Valid Address shippingAddress) {

  @Schema(name = "OrderItemRequest")
  public record Item(
      @Schema(example = "product_1")
      @NotBlank @Size(max = 64) @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE)
      String sku,
      @Schema(description = "A whole number; the same SKU on several lines is merged (at most 1000 in all)", example = "2")
      @NotNull @Min(1) @Max(1000) Integer quantity) {}

  /** Free text: see {@link Identifiers#TEXT}. */
  @Schema(name = "ShippingAddressRequest")
  public record Address(
      @NotBlank @Size(max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String name,
      @NotBlank @Size(max = 200) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String line1,
      @NotBlank @Size(max = 100) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String city,
      @NotBlank @Size(max = 20) @Pattern(regexp = Identifiers.TEXT, message = Identifiers.TEXT_MESSAGE) String postalCode,
      @Schema(description = "ISO 3166-1 alpha-2; the built-in carrier delivers to US, CA, GB, DE, FR, NL", example = "US")
      @NotBlank @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as US")
      String country) {}

}
