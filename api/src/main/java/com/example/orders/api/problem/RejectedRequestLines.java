package com.example.orders.api.problem;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat answers an encoded '/' in a path with an HTML page of its own. Passed through instead, it
 * reaches Spring Security's firewall, which refuses it, and {@link ProblemErrorController} answers
 * with a problem like every other error.
 */
@Configuration(proxyBeanMethods = false)
class RejectedRequestLines {

  @Bean
  TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
    return connector -> connector.setEncodedSolidusHandling("passthrough");
  }
}
