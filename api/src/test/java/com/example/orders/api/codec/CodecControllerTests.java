package com.example.orders.api.codec;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static com.example.orders.api.security.TestIssuer.claims;
import static com.example.orders.api.security.TestIssuer.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.jayway.jsonpath.JsonPath;
import jakarta.servlet.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * POST /codec/decode and /codec/encode (docs/API.md, Customer data in Temporal): Temporal's remote
 * codec protocol, for operators only, by header or by the codec cookie, and from the Web UI's origin.
 */
@WebMvcTest({CodecController.class, CodecSessionController.class})
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@Import(TestKeyring.class)
class CodecControllerTests {

  /** One payload as Temporal's JSON has it: encoding json/plain, data the JSON string "x". */
  private static final String PLAIN = """
      {"payloads":[{"metadata":{"encoding":"anNvbi9wbGFpbg=="},"data":"IngiCg=="}]}""";

  @Autowired
  private MockMvc mvc;

  @Test
  void anOperatorEncodesAndDecodesPayloadsBackToWhatTheyWere() throws Exception {
    String encoded = mvc.perform(codec("/codec/encode", PLAIN).with(asOperator()).header("X-Namespace", "default"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.payloads[0].metadata.encoding").value(base64("binary/encrypted")))
        .andExpect(jsonPath("$.payloads[0].metadata['encryption-key-id']").value(base64(TestKeyring.KEY_ID)))
        .andReturn().getResponse().getContentAsString();
    assertThat(encoded).doesNotContain("IngiCg==");

    String decoded = mvc.perform(codec("/codec/decode", encoded).with(asOperator()).header("X-Namespace", "default"))
        .andExpect(status().isOk())
        .andReturn().getResponse().getContentAsString();
    assertThat(JsonPath.<String>read(decoded, "$.payloads[0].data")).isEqualTo("IngiCg==");
    assertThat(JsonPath.<String>read(decoded, "$.payloads[0].metadata.encoding")).isEqualTo(base64("json/plain"));
  }

  @Test
  void aPayloadThatIsNotEncryptedIsDecodedUnchanged() throws Exception {
    mvc.perform(codec("/codec/decode", PLAIN).with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.payloads[0].data").value("IngiCg=="));
  }

  @Test
  void aPayloadUnderAKeyThisApiDoesNotHaveIs422() throws Exception {
    String foreign = """
        {"payloads":[{"metadata":{"encoding":"%s","encryption-key-id":"%s"},"data":"%s"}]}"""
        .formatted(base64("binary/encrypted"), base64("retired-key"), base64("0123456789abcdef0123456789"));
    mvc.perform(codec("/codec/decode", foreign).with(asOperator())).andExpect(problem(422, "payload-not-decodable"));
  }

  @Test
  void anotherNamespaceIs400() throws Exception {
    mvc.perform(codec("/codec/decode", PLAIN).with(asOperator()).header("X-Namespace", "production"))
        .andExpect(problem(400, "unknown-namespace"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{\"payloads\":\"x\"}", "{\"payloads\":[{\"data\":\"%%%\"}]}", "[]"})
  void somethingOtherThanPayloadsIs400(String body) throws Exception {
    mvc.perform(codec("/codec/decode", body).with(asOperator())).andExpect(problem(400, "invalid-payloads"));
  }

  @Test
  void anotherContentTypeIs415AndABodyOver64KiBIs413() throws Exception {
    mvc.perform(post("/codec/decode").with(asOperator()).contentType(MediaType.TEXT_PLAIN).content(PLAIN))
        .andExpect(problem(415, "http-415"));
    String huge = "{\"payloads\":[{\"metadata\":{},\"data\":\"" + "A".repeat(70_000) + "\"}]}";
    mvc.perform(codec("/codec/decode", huge).with(asOperator())).andExpect(problem(413, "body-too-large"));
  }

  @Test
  void onlyOperatorsDecodeOrEncode() throws Exception {
    for (String path : new String[] {"/codec/decode", "/codec/encode"}) {
      mvc.perform(codec(path, PLAIN).with(asCustomer("user_1"))).andExpect(forbidden());
      mvc.perform(codec(path, PLAIN).with(asCarrier())).andExpect(forbidden());
      mvc.perform(codec(path, PLAIN)).andExpect(unauthorized());
    }
  }

  @Test
  void theCodecCookieOpensTheCodecToOperatorsAndNothingElse() throws Exception {
    Cookie operators = new Cookie(CodecSessionController.COOKIE, sign(claims("operator", "operator").build()));
    Cookie customers = new Cookie(CodecSessionController.COOKIE, sign(claims("user_1", "customer").build()));
    mvc.perform(codec("/codec/decode", PLAIN).cookie(operators)).andExpect(status().isOk());
    mvc.perform(codec("/codec/encode", PLAIN).cookie(operators)).andExpect(status().isOk());
    mvc.perform(codec("/codec/decode", PLAIN).cookie(customers)).andExpect(forbidden());
    // anywhere else the cookie is no credential
    mvc.perform(post("/admin/reset").cookie(operators)).andExpect(unauthorized());
    mvc.perform(post("/codec/session").cookie(operators)).andExpect(unauthorized());
  }

  @Test
  void theWebUisOriginMayCallTheCodecFromTheBrowserAndNoOtherOrigin() throws Exception {
    mvc.perform(options("/codec/decode").header("Origin", "http://localhost:8233")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,x-namespace"))
        .andExpect(status().isOk())
        .andExpect(header().string("Access-Control-Allow-Origin", "http://localhost:8233"))
        .andExpect(header().string("Access-Control-Allow-Credentials", "true"));
    mvc.perform(options("/codec/decode").header("Origin", "http://evil.example")
            .header("Access-Control-Request-Method", "POST"))
        .andExpect(forbidden())
        .andExpect(header().doesNotExist("Access-Control-Allow-Origin"));
    // the request itself, not only its preflight: refused before anything is decoded
    mvc.perform(codec("/codec/decode", PLAIN).with(asOperator()).header("Origin", "http://evil.example"))
        .andExpect(forbidden())
        .andExpect(jsonPath("$.payloads").doesNotExist());
  }

  private static MockHttpServletRequestBuilder codec(String path, String body) {
    return post(path).contentType(MediaType.APPLICATION_JSON).content(body);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
