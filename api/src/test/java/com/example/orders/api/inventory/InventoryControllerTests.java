package com.example.orders.api.inventory;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.invalidFields;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.inventory.Product;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** GET /inventory, GET and PUT /inventory/{sku} (docs/API.md, Catalog): the catalog, and an operator's changes to it. */
@WebMvcTest(InventoryController.class)
@ContextConfiguration(classes = ApiSliceConfiguration.class)
class InventoryControllerTests {

  private static final Product PRODUCT_1 = new Product("product_1", "Product 1", new BigDecimal("50.00"), 100, 2, 3);

  @Autowired
  private MockMvc mvc;

  @MockitoBean
  private InventoryService inventory;

  @MockitoBean
  private AuditLog audit;

  @Test
  void customersAndOperatorsReadTheCatalog() throws Exception {
    given(inventory.listProducts()).willReturn(List.of(PRODUCT_1));
    mvc.perform(get("/inventory").with(asCustomer("user_1")))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.products", hasSize(1)))
        .andExpect(jsonPath("$.products[0].sku").value("product_1"))
        .andExpect(jsonPath("$.products[0].name").value("Product 1"))
        .andExpect(jsonPath("$.products[0].price").value(50.00))
        .andExpect(jsonPath("$.products[0].available").value(100))
        .andExpect(jsonPath("$.products[0].reserved").value(2))
        .andExpect(jsonPath("$.products[0].sold").value(3));
    mvc.perform(get("/inventory").with(asOperator())).andExpect(status().isOk());
  }

  @Test
  void theCarrierAndTheAnonymousDoNotReadTheCatalog() throws Exception {
    mvc.perform(get("/inventory").with(asCarrier())).andExpect(forbidden());
    mvc.perform(get("/inventory/product_1").with(asCarrier())).andExpect(forbidden());
    mvc.perform(get("/inventory")).andExpect(unauthorized());
    then(inventory).shouldHaveNoInteractions();
  }

  @Test
  void aProductShowsItsChangesToOperatorsOnly() throws Exception {
    given(inventory.findProduct("product_1")).willReturn(Optional.of(PRODUCT_1));
    given(audit.about(AuditLog.product("product_1"), 10)).willReturn(List.of(
        new AuditLog.Entry(OffsetDateTime.parse("2026-12-01T10:00:00Z"), "operator", "PRODUCT_CHANGED", "available 100")));
    mvc.perform(get("/inventory/product_1").with(asOperator()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.sku").value("product_1"))
        .andExpect(jsonPath("$.changes[0].principal").value("operator"));
    mvc.perform(get("/inventory/product_1").with(asCustomer("user_1")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.available").value(100))
        .andExpect(jsonPath("$.changes").doesNotExist());
  }

  @Test
  void anUnknownProductIs404() throws Exception {
    mvc.perform(get("/inventory/nope").with(asCustomer("user_1"))).andExpect(problem(404, "not-found"));
  }

  @Test
  void anOperatorCreatesAProductWithAllThreeFields() throws Exception {
    Product created = new Product("product_4", "Product 4", new BigDecimal("45.00"), 150, 0, 0);
    given(inventory.upsertProduct("product_4", "Product 4", new BigDecimal("45.00"), 150, "operator")).willReturn(created);
    mvc.perform(put("/inventory/product_4").with(asOperator()).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"Product 4\",\"price\":45.00,\"available\":150}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.sku").value("product_4"))
        .andExpect(jsonPath("$.available").value(150));
  }

  @Test
  void anOperatorRestocksAnExistingProductWithAnyField() throws Exception {
    given(inventory.findProduct("product_1")).willReturn(Optional.of(PRODUCT_1));
    given(inventory.upsertProduct("product_1", null, null, 7, "operator"))
        .willReturn(new Product("product_1", "Product 1", new BigDecimal("50.00"), 7, 2, 3));
    mvc.perform(put("/inventory/product_1").with(asOperator()).contentType(MediaType.APPLICATION_JSON)
            .content("{\"available\":7}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.available").value(7));
  }

  @Test
  void aNewProductWithoutAllThreeFieldsIs400() throws Exception {
    mvc.perform(put("/inventory/new_sku").with(asOperator()).contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"Only a name\"}"))
        .andExpect(problem(400, "incomplete-product"));
    then(inventory).should(never()).upsertProduct(anyString(), any(), any(), any(), anyString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"price\":-1}|/price",
      "{\"price\":1.234}|/price",
      "{\"available\":-1}|/available",
      "{\"available\":5.5}|/available",
      "{\"available\":\"5\"}|/available",
      "{\"name\":\"\"}|/name",
      "{\"name\":\"bell\\u0007\"}|/name",
      "{\"available\":5,\"reserved\":0}|/reserved"})
  void invalidOrUnknownFieldsAre400NamingTheField(String bodyAndPointer) throws Exception {
    String[] parts = bodyAndPointer.split("\\|");
    given(inventory.findProduct("product_1")).willReturn(Optional.of(PRODUCT_1));
    mvc.perform(put("/inventory/product_1").with(asOperator()).contentType(MediaType.APPLICATION_JSON).content(parts[0]))
        .andExpect(invalidFields(parts[1]));
    then(inventory).should(never()).upsertProduct(anyString(), any(), any(), any(), anyString());
  }

  @Test
  void aMalformedSkuIs400() throws Exception {
    mvc.perform(put("/inventory/bad sku!").with(asOperator()).contentType(MediaType.APPLICATION_JSON)
            .content("{\"available\":1}"))
        .andExpect(problem(400, "invalid-request"));
    then(inventory).shouldHaveNoInteractions();
  }

  @Test
  void malformedJsonIs400AndAnotherContentTypeIs415() throws Exception {
    mvc.perform(put("/inventory/product_1").with(asOperator()).contentType(MediaType.APPLICATION_JSON).content("{"))
        .andExpect(problem(400, "malformed-body"));
    mvc.perform(put("/inventory/product_1").with(asOperator()).contentType(MediaType.TEXT_PLAIN).content("{\"available\":1}"))
        .andExpect(problem(415, "http-415"));
    then(inventory).shouldHaveNoInteractions();
  }

  @Test
  void onlyOperatorsChangeTheCatalog() throws Exception {
    for (var caller : List.of(asCustomer("user_1"), asCarrier())) {
      mvc.perform(put("/inventory/product_1").with(caller).contentType(MediaType.APPLICATION_JSON)
              .content("{\"available\":7}"))
          .andExpect(forbidden());
    }
    mvc.perform(put("/inventory/product_1").contentType(MediaType.APPLICATION_JSON).content("{\"available\":7}"))
        .andExpect(unauthorized());
    then(inventory).shouldHaveNoInteractions();
  }
}
