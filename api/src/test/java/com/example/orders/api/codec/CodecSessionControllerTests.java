package com.example.orders.api.codec;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.api.security.TestIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

/** /codec/session: how an operator's browser gets to decode in the Temporal Web UI (a cookie only the codec reads). */
@WebMvcTest({CodecController.class, CodecSessionController.class})
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@Import(TestKeyring.class)
class CodecSessionControllerTests {

  @Autowired
  private MockMvc mvc;

  @Test
  void anOperatorsTokenBecomesAnHttpOnlyStrictCookieScopedToTheCodec() throws Exception {
    String token = TestIssuer.sign(TestIssuer.claims("operator", "operator").build());
    String cookie = mvc.perform(post("/codec/session").with(bearer(token)))
        .andExpect(status().isNoContent())
        .andReturn().getResponse().getHeader(HttpHeaders.SET_COOKIE);
    assertThat(cookie).startsWith(CodecSessionController.COOKIE + "=" + token + ";")
        .contains("Path=/codec").contains("HttpOnly").contains("SameSite=Strict");
    // until the token expires (ten minutes), not longer
    assertThat(Integer.parseInt(cookie.replaceAll(".*Max-Age=(\\d+).*", "$1"))).isBetween(590, 600);
  }

  @Test
  void nobodyElseGetsTheCookie() throws Exception {
    mvc.perform(post("/codec/session").with(asCustomer("user_1")))
        .andExpect(forbidden())
        .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
    mvc.perform(post("/codec/session").with(asCarrier())).andExpect(forbidden());
    mvc.perform(post("/codec/session")).andExpect(unauthorized());
  }

  @Test
  void thePageThatSetsItAndForgettingItNeedNoToken() throws Exception {
    mvc.perform(get("/codec/session"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML));
    String forgotten = mvc.perform(delete("/codec/session"))
        .andExpect(status().isNoContent())
        .andReturn().getResponse().getHeader(HttpHeaders.SET_COOKIE);
    assertThat(forgotten).startsWith(CodecSessionController.COOKIE + "=;").contains("Max-Age=0").contains("Path=/codec");
  }
}
