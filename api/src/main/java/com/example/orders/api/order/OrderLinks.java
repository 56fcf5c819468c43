package com.example.orders.api.order;

import com.example.orders.workflows.order.OrderContract;
import io.temporal.client.WorkflowClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The links of an order view: itself, and its workflow's page in the Temporal Web UI. */
@Component
class OrderLinks {

  private final String workflowsUrl;

  OrderLinks(@Value("${orders.temporal.ui-url}") String uiUrl, WorkflowClient client) {
    this.workflowsUrl = uiUrl.replaceAll("/+$", "") + "/namespaces/" + client.getOptions().getNamespace()
        + "/workflows/";
  }

  Map<String, String> of(String orderId) {
    Map<String, String> links = new LinkedHashMap<>();
    links.put("self", "/orders/" + orderId);
    links.put("temporalUi", workflowsUrl + OrderContract.workflowId(orderId));
    return links;
  }
}
