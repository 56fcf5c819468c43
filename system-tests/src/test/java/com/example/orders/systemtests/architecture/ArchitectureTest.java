package com.example.orders.systemtests.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module layout (docs/architecture.md), checked on the compiled production and devtools classes.
 * Each module has a package root of its own, so every rule is stated by package.
 */
class ArchitectureTest {

  private static final String ROOT = "com.example.orders.";

  /** Every production and devtools class on this module's classpath, without test classes. */
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("com.example.orders");

  @Test
  void eachModuleReachesOnlyTheModulesBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("workflows").definedBy(ROOT + "workflows..")
        .layer("temporal").definedBy(ROOT + "temporal..")
        .layer("domain").definedBy(ROOT + "domain..")
        .layer("security").definedBy(ROOT + "security..")
        .layer("activities").definedBy(ROOT + "activities..")
        .layer("workers").definedBy(ROOT + "workers..")
        .layer("relay").definedBy(ROOT + "relay..")
        .layer("api").definedBy(ROOT + "api..")
        .layer("authserver").definedBy(ROOT + "authserver..")
        .layer("devtools").definedBy(ROOT + "devtools..")
        .whereLayer("workflows").mayOnlyBeAccessedByLayers("domain", "activities", "workers", "api", "devtools")
        .whereLayer("temporal").mayOnlyBeAccessedByLayers("workers", "api", "devtools")
        .whereLayer("domain").mayOnlyBeAccessedByLayers("activities", "workers", "api")
        .whereLayer("security").mayOnlyBeAccessedByLayers("workers", "relay", "api")
        .whereLayer("activities").mayOnlyBeAccessedByLayers("workers")
        .whereLayer("workers").mayNotBeAccessedByAnyLayer()
        .whereLayer("relay").mayNotBeAccessedByAnyLayer()
        .whereLayer("api").mayNotBeAccessedByAnyLayer()
        .whereLayer("authserver").mayNotBeAccessedByAnyLayer()
        .whereLayer("devtools").mayNotBeAccessedByAnyLayer()
        .because("the api is a Temporal client only, the domain knows no process, no activity and no"
            + " Temporal client, the token issuer is replaceable by any OpenID Connect provider, and"
            + " fault injection, the embedded PostgreSQL and the replay tool never ship")
        .check(ALL);
  }

  @Test
  void workflowCodeReachesNoSpringNoJdbcAndNoOtherModule() {
    noClasses().that().resideInAPackage(ROOT + "workflows..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.springframework..", "java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer..")
        .orShould().dependOnClassesThat(resideInAPackage("com.example.orders..").and(not(resideInAPackage(ROOT + "workflows.."))))
        .because("workflow code must stay deterministic: no I/O framework may be reachable from it")
        .check(ALL);
  }

  @Test
  void theApiRunsNoWorker() {
    noClasses().that().resideInAPackage(ROOT + "api..")
        .should().dependOnClassesThat().resideInAPackage("io.temporal.worker..")
        .because("the api is a Temporal client only; activities and workflows run in the workers process")
        .check(ALL);
  }

  @Test
  void theDomainAndTheTemporalWiringKnowNoWorkerMachinery() {
    noClasses().that().resideInAnyPackage(ROOT + "domain..", ROOT + "temporal..")
        .should().dependOnClassesThat().resideInAPackage("io.temporal.worker..")
        .check(ALL);
  }
}
