package com.example.orders.systemtests.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.example.orders.order.OrderWorkflow;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module rules of the README's layout that matter most, checked on the compiled classes of the
 * production modules (workflows, domain, activities, workers, api) and devtools.
 */
class ArchitectureTest {

  /** Every production and devtools class on this module's classpath, without test classes. */
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("com.example.orders");

  /** The workflows module alone: its jar or classes directory. */
  private static final JavaClasses WORKFLOWS = new ClassFileImporter()
      .importUrl(OrderWorkflow.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void workflowCodeReachesNoSpringNoJdbcNoOtherModule() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "org.springframework..", "java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer..",
            "com.example.orders.api..", "com.example.orders.workers..", "com.example.orders.devtools..")
        .because("workflow code must stay deterministic: no I/O framework may be reachable from it")
        .check(WORKFLOWS);
  }

  @Test
  void theApiReachesNoActivityImplementationAndNoWorker() {
    noClasses().that().resideInAPackage("com.example.orders.api..")
        .should().dependOnClassesThat().haveSimpleNameEndingWith("ActivitiesImpl")
        .orShould().dependOnClassesThat().haveSimpleName("ActivityAttempt")
        .orShould().dependOnClassesThat().resideInAnyPackage("io.temporal.worker..", "com.example.orders.workers..")
        .because("the api is a Temporal client only; activities run in the workers process")
        .check(ALL);
  }

  @Test
  void nothingInProductionReachesDevtools() {
    noClasses().that().resideOutsideOfPackage("com.example.orders.devtools..")
        .should().dependOnClassesThat().resideInAPackage("com.example.orders.devtools..")
        .because("fault injection, the embedded PostgreSQL and the replay tool never ship in a production jar")
        .check(ALL);
  }

  @Test
  void theDomainKnowsNoProcessAndNoActivity() {
    noClasses().that().resideInAnyPackage("com.example.orders.order..", "com.example.orders.audit..", "com.example.orders.inventory..",
            "com.example.orders.payment..", "com.example.orders.shipping..", "com.example.orders.demo..",
            "com.example.orders.temporal..")
        .and().haveSimpleNameNotEndingWith("ActivitiesImpl")
        .and().doNotHaveSimpleName("ActivityAttempt")
        .should().dependOnClassesThat().resideInAnyPackage("com.example.orders.api..", "com.example.orders.workers..")
        .orShould().dependOnClassesThat().haveSimpleNameEndingWith("ActivitiesImpl")
        .orShould().accessClassesThat().haveSimpleName("ActivityAttempt")
        .check(ALL);
  }

  @Test
  void theTokenIssuerStandsAlone() {
    noClasses().that().resideInAPackage("com.example.orders.authserver..")
        .should().dependOnClassesThat(resideInAPackage("com.example.orders..")
            .and(DescribedPredicate.not(resideInAPackage("com.example.orders.authserver.."))))
        .because("it is replaceable by any OpenID Connect provider: the api trusts it only by issuer, audience and JWKS")
        .check(ALL);
  }
}
