package com.example.orders.api.admin;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.domain.demo.DemoData;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** POST /admin/reset (docs/API.md, operations): operators only, and present only when demo data is enabled. */
@WebMvcTest(DemoDataController.class)
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@TestPropertySource(properties = "orders.demo-data.enabled=true")
class DemoDataControllerTests {

  @Autowired
  private MockMvc mvc;

  @MockitoBean
  private DemoData demoData;

  @Test
  void anOperatorRestoresTheDemoData() throws Exception {
    mvc.perform(post("/admin/reset").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("demo data restored"));
    then(demoData).should().reset("operator");
  }

  @Test
  void nobodyElseResetsAnything() throws Exception {
    mvc.perform(post("/admin/reset").with(asCustomer("user_1"))).andExpect(forbidden());
    mvc.perform(post("/admin/reset").with(asCarrier())).andExpect(forbidden());
    mvc.perform(post("/admin/reset")).andExpect(unauthorized());
    then(demoData).should(never()).reset(anyString());
  }

  @Nested
  @TestPropertySource(properties = "orders.demo-data.enabled=false")
  class WithoutDemoData {

    @Test
    void thereIsNoResetToCall() throws Exception {
      mvc.perform(post("/admin/reset").with(asOperator())).andExpect(problem(404, "http-404"));
      then(demoData).should(never()).reset(anyString());
    }
  }
}
