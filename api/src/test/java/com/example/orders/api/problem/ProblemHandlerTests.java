package com.example.orders.api.problem;

import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the api answers when something other than a rule refuses a request (docs/API.md: every error
 * a problem, no stack trace, no SQL, no 500 for anything a client could have sent): the problem
 * handler and the body-size filter every controller shares, driven through a probe controller.
 */
@WebMvcTest(ProblemHandlerTests.Probe.class)
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@Import(ProblemHandlerTests.Probe.class)
class ProblemHandlerTests {

  @Autowired
  private MockMvc mvc;

  @MockitoBean
  private Backend backend;

  /** What the probe's endpoints call: stub it to fail as the database or Temporal would. */
  interface Backend {
    String read();

    void write(Body body);
  }

  record Body(String name) {}

  /** A controller like the api's: it reads, or takes a JSON body, through {@link Backend}. */
  @RestController
  static class Probe {
    private final Backend backend;

    Probe(Backend backend) {
      this.backend = backend;
    }

    @GetMapping("/probe")
    String read() {
      return backend.read();
    }

    @PutMapping(path = "/probe", consumes = MediaType.APPLICATION_JSON_VALUE)
    void write(@RequestBody Body body) {
      backend.write(body);
    }
  }

  @Test
  void aBodyStreamedWithoutALengthIsCutAt64KiB() throws Exception {
    String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
    mvc.perform(put("/probe").with(asOperator()).with(withoutContentLength())
            .contentType(MediaType.APPLICATION_JSON).content(huge))
        .andExpect(problem(413, "body-too-large"));
    then(backend).shouldHaveNoInteractions();
    // the same body within the limit goes through
    mvc.perform(put("/probe").with(asOperator()).with(withoutContentLength())
            .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"" + "x".repeat(60_000) + "\"}"))
        .andExpect(status().isOk());
  }

  @Test
  void aMethodAnEndpointDoesNotTakeIs405() throws Exception {
    mvc.perform(delete("/probe").with(asOperator())).andExpect(problem(405, "http-405"));
  }

  @Test
  void aPathWithNothingBehindItIs404() throws Exception {
    mvc.perform(get("/nothing-here").with(asOperator())).andExpect(problem(404, "http-404"));
  }

  @Test
  void theDatabaseDownIs503WithoutItsSql() throws Exception {
    given(backend.read()).willThrow(new DataAccessResourceFailureException(
        "Connection to 127.0.0.1:15432 refused: SELECT sku, name FROM products"));
    String body = mvc.perform(get("/probe").with(asOperator()))
        .andExpect(problem(503, "database-unavailable"))
        .andReturn().getResponse().getContentAsString();
    assertThat(body).doesNotContain("15432").doesNotContain("products");
  }

  @Test
  void temporalUnavailableIs503AndAnyOtherTemporalFailure502() throws Exception {
    given(backend.read()).willThrow(new StatusRuntimeException(Status.UNAVAILABLE));
    mvc.perform(get("/probe").with(asOperator())).andExpect(problem(503, "temporal-unavailable"));
    willThrow(new StatusRuntimeException(Status.INTERNAL)).given(backend).read();
    mvc.perform(get("/probe").with(asOperator())).andExpect(problem(502, "temporal-unavailable"));
    // as the SDK's typed calls (start, update, cancel) report it
    willThrow(new WorkflowServiceException(WorkflowExecution.getDefaultInstance(), "OrderWorkflow",
        new StatusRuntimeException(Status.UNAVAILABLE))).given(backend).read();
    mvc.perform(get("/probe").with(asOperator())).andExpect(problem(503, "temporal-unavailable"));
  }

  @Test
  void anythingElseIs500WithoutItsMessage() throws Exception {
    given(backend.read()).willThrow(new IllegalStateException("secret internals"));
    String body = mvc.perform(get("/probe").with(asOperator()))
        .andExpect(problem(500, "internal-error"))
        .andReturn().getResponse().getContentAsString();
    assertThat(body).doesNotContain("secret internals");
  }

  /** As a chunked request arrives: no Content-Length, so only reading the body finds its size. */
  private static RequestPostProcessor withoutContentLength() {
    return request -> {
      MockHttpServletRequest streamed = spy(request);
      doReturn(-1).when(streamed).getContentLength();
      doReturn(-1L).when(streamed).getContentLengthLong();
      return streamed;
    };
  }
}
