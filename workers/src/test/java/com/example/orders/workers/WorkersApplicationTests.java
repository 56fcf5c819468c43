package com.example.orders.workers;

import com.example.orders.security.ActuatorOnlySecurityConfiguration;


import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.domain.DomainConfiguration;
import com.example.orders.workflows.order.OrderContract;
import io.temporal.activity.ActivityInterface;
import io.temporal.common.VersioningBehavior;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.temporal.workflow.WorkflowVersioningBehavior;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.SimpleBeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

/**
 * The worker Temporal's auto-configuration builds from application.yml (spring.temporal.workers)
 * hosts every workflow and activity there is, and finds each activity bean among the components
 * WorkersApplication scans. A class renamed or moved to another package would otherwise show only at
 * start, or as tasks nobody polls.
 */
class WorkersApplicationTests {

  private static final String WORKER = "spring.temporal.workers[0].";

  private final PropertySource<?> yaml = applicationYml();

  private static PropertySource<?> applicationYml() {
    try {
      return new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml")).getFirst();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> list(String key) {
    List<String> values = new ArrayList<>();
    for (int i = 0; yaml.getProperty(key + "[" + i + "]") != null; i++) {
      values.add(String.valueOf(yaml.getProperty(key + "[" + i + "]")));
    }
    return values;
  }

  /** Bean name -> class of every component WorkersApplication's scan finds. */
  private static Map<String, Class<?>> scannedComponents() {
    SpringBootApplication application =
        AnnotatedElementUtils.findMergedAnnotation(WorkersApplication.class, SpringBootApplication.class);
    ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(true);
    Map<String, Class<?>> components = new TreeMap<>();
    for (String base : application.scanBasePackages()) {
      for (BeanDefinition candidate : scan.findCandidateComponents(base)) {
        String name = AnnotationBeanNameGenerator.INSTANCE.generateBeanName(
            (AnnotatedBeanDefinition) candidate, new SimpleBeanDefinitionRegistry());
        components.put(name, ClassUtils.resolveClassName(candidate.getBeanClassName(), null));
      }
    }
    return components;
  }

  /** The concrete classes under {@code base} that implement an interface annotated {@code annotation}. */
  private static List<Class<?>> implementationsUnder(String base, Class<? extends java.lang.annotation.Annotation> annotation) {
    ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
    scan.addIncludeFilter((reader, factory) -> !reader.getClassMetadata().isInterface()
        && !reader.getClassMetadata().isAbstract() && reader.getClassMetadata().getInterfaceNames().length > 0);
    Predicate<Class<?>> implementsIt = type -> Arrays.stream(type.getInterfaces())
        .anyMatch(implemented -> implemented.isAnnotationPresent(annotation));
    return scan.findCandidateComponents(base).stream()
        .<Class<?>>map(candidate -> ClassUtils.resolveClassName(candidate.getBeanClassName(), null))
        .filter(implementsIt)
        .toList();
  }

  @Test
  void theWorkerPollsTheTaskQueueTheApiStartsOrdersOn() {
    assertThat(yaml.getProperty(WORKER + "task-queue")).isEqualTo(OrderContract.TASK_QUEUE);
    assertThat(yaml.getProperty("spring.temporal.workers[1].task-queue")).as("one worker, one task queue").isNull();
  }

  @Test
  void everyWorkflowImplementationIsRegisteredOnTheWorker() {
    List<String> registered = list(WORKER + "workflow-classes");

    assertThat(implementationsUnder("com.example.orders.workflows", WorkflowInterface.class))
        .extracting(Class::getName)
        .containsExactlyInAnyOrderElementsOf(registered)
        .contains("com.example.orders.workflows.order.OrderWorkflowImpl",
            "com.example.orders.workflows.shipping.ShipmentWorkflowImpl",
            "com.example.orders.workflows.shipping.ShipmentDeadlineSweepImpl");
  }

  @Test
  void theWorkerIsAVersionOfDeploymentOrdersNamedByItsBuild() {
    String deployment = WORKER + "deployment-properties.";
    assertThat(yaml.getProperty(deployment + "use-versioning")).isEqualTo(true);
    assertThat(yaml.getProperty(deployment + "deployment-name")).isEqualTo("orders");
    // filtered in by Maven: the project version and the commit, no '@' left; ':' would break the version's name
    assertThat(String.valueOf(yaml.getProperty(deployment + "build-id"))).matches("\\$\\{ORDERS_BUILD_ID:[\\w.-]+}");
    assertThat(yaml.getProperty(deployment + "default-versioning-behavior"))
        .as("none: a workflow that declares no behaviour stops the start").isNull();
  }

  @Test
  void everyRegisteredWorkflowDeclaresItsVersioningBehaviourOnItsWorkflowMethod() throws Exception {
    Map<String, VersioningBehavior> behaviours = new TreeMap<>();
    for (String name : list(WORKER + "workflow-classes")) {
      Class<?> implementation = ClassUtils.resolveClassName(name, null);
      Method workflowMethod = Arrays.stream(implementation.getInterfaces())
          .flatMap(implemented -> Arrays.stream(implemented.getMethods()))
          .filter(method -> method.isAnnotationPresent(WorkflowMethod.class))
          .findFirst().orElseThrow();
      WorkflowVersioningBehavior behaviour = implementation
          .getMethod(workflowMethod.getName(), workflowMethod.getParameterTypes())
          .getAnnotation(WorkflowVersioningBehavior.class);
      behaviours.put(implementation.getSimpleName(), behaviour == null ? null : behaviour.value());
    }

    assertThat(behaviours).containsExactly(
        Map.entry("OrderWorkflowImpl", VersioningBehavior.PINNED),
        Map.entry("ShipmentDeadlineSweepImpl", VersioningBehavior.AUTO_UPGRADE),
        Map.entry("ShipmentWorkflowImpl", VersioningBehavior.AUTO_UPGRADE));
  }

  @Test
  void everyActivityBeanNamedOnTheWorkerIsAScannedComponentAndEveryActivityComponentIsNamed() {
    List<String> named = list(WORKER + "activity-beans");
    Map<String, Class<?>> components = scannedComponents();

    assertThat(components).containsKeys(named.toArray(String[]::new));
    List<String> activityComponents = components.entrySet().stream()
        .filter(component -> Arrays.stream(component.getValue().getInterfaces())
            .anyMatch(implemented -> implemented.isAnnotationPresent(ActivityInterface.class)))
        .map(Map.Entry::getKey)
        .toList();
    assertThat(activityComponents).containsExactlyInAnyOrderElementsOf(named).hasSize(5);
    // and each one found here is the only implementation there is
    assertThat(implementationsUnder("com.example.orders.activities", ActivityInterface.class))
        .hasSameSizeAs(activityComponents);
  }

  @Test
  void theScanFindsTheWorkersOwnBeansAndTheTemporalWiring() {
    Map<String, Class<?>> components = scannedComponents();

    assertThat(components.values()).contains(ActivityMetrics.class, ShipmentSweepSchedule.class,
        OrderWorkerConfiguration.class, CurrentVersionIfNone.class);
    assertThat(components).containsKey("temporal"); // the health component of /actuator/health
    assertThat(components.values()).extracting(Class::getPackageName)
        .allMatch(name -> name.startsWith("com.example.orders.workers")
            || name.startsWith("com.example.orders.activities") || name.startsWith("com.example.orders.temporal"));
  }

  @Test
  void theDomainAndTheActuatorsSecurityComeInThroughTheirConfigurationsNotThroughTheScan() {
    assertThat(WorkersApplication.class.getAnnotation(Import.class).value())
        .containsExactly(DomainConfiguration.class, ActuatorOnlySecurityConfiguration.class);
    assertThat(scannedComponents().values()).extracting(Class::getPackageName)
        .noneMatch(name -> name.startsWith("com.example.orders.domain"));
  }
}
