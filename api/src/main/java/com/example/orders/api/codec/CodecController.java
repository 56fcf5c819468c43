package com.example.orders.api.codec;

import com.example.orders.api.openapi.ErrorResponses;
import com.example.orders.api.problem.ApiException;
import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClient;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Temporal's remote codec protocol, so that the Web UI and {@code temporal workflow show
 * --codec-endpoint} show the customer data the workers and the api encrypt: POST a
 * {@code {"payloads":[...]}} (Temporal's JSON for Payloads), get the same shape back. Operators only:
 * decoding reveals names and addresses. The Web UI's browser reaches it through CORS
 * ({@code CodecCors}) with the operator's token in a cookie ({@link CodecSessionController}).
 */
@RestController
@Tag(name = "operations")
class CodecController {

  private static final Logger log = LoggerFactory.getLogger(CodecController.class);
  private static final String PAYLOADS_EXAMPLE = """
      {"payloads": [{"metadata": {"encoding": "YmluYXJ5L2VuY3J5cHRlZA==", "encryption-key-id": "MjAyNi0xMi0wMQ==", \
      "encryption-cipher": "QUVTLTI1Ni1HQ00="}, "data": "q1dN3m0rZ2Vr…"}]}""";

  private final PayloadEncryptionCodec codec;
  private final String namespace;

  CodecController(PayloadEncryptionCodec codec, WorkflowClient client) {
    this.codec = codec;
    this.namespace = client.getOptions().getNamespace();
  }

  @Operation(operationId = "decodePayloads", summary = "Decrypt Temporal payloads",
      description = "Temporal's remote codec endpoint: payloads encrypted by the api and the workers come back "
          + "as the JSON they were before encryption; other payloads come back unchanged. For the Web UI and "
          + "the Temporal CLI (--codec-endpoint). Roles: operators.",
      requestBody = @RequestBody(content = @Content(mediaType = "application/json",
          schema = @Schema(type = "object", description = "Temporal's JSON form of Payloads: metadata values and data are base64"),
          examples = @ExampleObject(value = PAYLOADS_EXAMPLE))))
  @ApiResponse(responseCode = "200", description = "The payloads, decrypted, in the same order",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  @ErrorResponses({400, 413, 415, 422})
  @PostMapping(path = "/codec/decode", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  String decode(@org.springframework.web.bind.annotation.RequestBody String body,
      @Parameter(description = "The namespace the payloads come from (sent by the Web UI and the CLI)")
      @RequestHeader(name = "X-Namespace", required = false) String requestNamespace) {
    return apply(body, requestNamespace, codec::decode);
  }

  @Operation(operationId = "encodePayloads", summary = "Encrypt Temporal payloads",
      description = "Temporal's remote codec endpoint, the other way: plain payloads come back encrypted with "
          + "the newest key (for example to send a signal or update from the Web UI). Roles: operators.",
      requestBody = @RequestBody(content = @Content(mediaType = "application/json",
          schema = @Schema(type = "object", description = "Temporal's JSON form of Payloads"),
          examples = @ExampleObject(value = """
              {"payloads": [{"metadata": {"encoding": "anNvbi9wbGFpbg=="}, "data": "IkFQUFJPVkUi"}]}"""))))
  @ApiResponse(responseCode = "200", description = "The payloads, encrypted, in the same order",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  @ErrorResponses({400, 413, 415, 422})
  @PostMapping(path = "/codec/encode", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  String encode(@org.springframework.web.bind.annotation.RequestBody String body,
      @Parameter(description = "The namespace the payloads are for")
      @RequestHeader(name = "X-Namespace", required = false) String requestNamespace) {
    return apply(body, requestNamespace, codec::encode);
  }

  private String apply(String body, String requestNamespace, UnaryOperator<List<Payload>> operation) {
    if (requestNamespace != null && !requestNamespace.isBlank() && !requestNamespace.equals(namespace)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "unknown-namespace", "Unknown namespace",
          "This codec serves namespace '" + namespace + "', not '" + requestNamespace + "'");
    }
    Payloads.Builder in = Payloads.newBuilder();
    try {
      JsonFormat.parser().merge(body, in);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-payloads", "Invalid payloads",
          "Expected {\"payloads\": [{\"metadata\": {...}, \"data\": \"<base64>\"}]}: " + e.getMessage());
    }
    List<Payload> out;
    try {
      out = operation.apply(in.getPayloadsList());
    } catch (PayloadCodecException e) {
      log.warn("Codec request refused: {}", e.getMessage());
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "payload-not-decodable", "Payload cannot be decoded",
          e.getMessage());
    }
    try {
      return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(out));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
