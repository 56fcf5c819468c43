package com.example.orders.api.shipment;

import com.example.orders.api.openapi.ErrorResponses;
import com.example.orders.api.order.OrderView;
import com.example.orders.api.problem.ApiException;
import com.example.orders.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The carrier's webhook: what happened to a shipment, by tracking number. */
@RestController
@Tag(name = "orders")
class ShipmentEventController {

  private final ShipmentEvents events;

  ShipmentEventController(ShipmentEvents events) {
    this.events = events;
  }

  /** One event of the carrier's. */
  record CarrierEventRequest(
      @Schema(description = "The carrier's id of this event: sending it again changes nothing", example = "evt-1001")
      @NotBlank @Size(max = 100) @Pattern(regexp = "[\\x21-\\x7E]+", message = "visible ASCII characters only")
      String eventId,
      @Schema(allowableValues = {"DISPATCHED", "DELIVERED"}, example = "DISPATCHED")
      @NotNull @Pattern(regexp = "DISPATCHED|DELIVERED", message = "must be DISPATCHED or DELIVERED") String type,
      @Schema(example = "2026-12-01T10:15:30Z") @NotNull OffsetDateTime occurredAt) {}

  @Operation(operationId = "postShipmentEvent", summary = "Report a shipment event (carrier webhook)",
      description = """
          Moves the shipment BOOKED -> DISPATCHED -> DELIVERED. The same eventId again changes nothing and gets \
          the same answer; an event that contradicts the shipment (anything after DELIVERED or LOST, DISPATCHED \
          twice) is 409; an unknown tracking number 404. Roles: the carrier; operators.""")
  @ApiResponse(responseCode = "200", description = "Recorded (or recorded before): the shipment as it is now",
      content = @Content(schema = @Schema(implementation = OrderView.Shipment.class)))
  @ErrorResponses({400, 404, 409, 413, 415})
  @PostMapping(path = "/shipments/{trackingNumber}/events", consumes = MediaType.APPLICATION_JSON_VALUE)
  OrderView.Shipment post(
      @Parameter(hidden = true) @AuthenticationPrincipal Caller caller,
      @Parameter(example = "TRK-1A2B3C4D-5E6F") @PathVariable String trackingNumber,
      @Valid @RequestBody CarrierEventRequest body) {
    if (trackingNumber.length() > 100) {
      throw ApiException.notFound("Shipment " + trackingNumber.substring(0, 20) + "...");
    }
    return events.report(trackingNumber, body.eventId(), body.type(), body.occurredAt(), caller);
  }
}
