package com.example.orders.systemtests;

import java.io.File;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The headless Chromium the Web UI tests drive: Debian's chromium and chromium-driver, which ./run test installs. */
final class Chromium {

  private Chromium() {}

  /** A new browser with a profile of its own: no cookies, no local storage. */
  static WebDriver headless() {
    ChromeOptions options = new ChromeOptions()
        .setBinary(executable("ORDERS_CHROMIUM", "/usr/bin/chromium"))
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,2000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(executable("ORDERS_CHROMEDRIVER", "/usr/bin/chromedriver")))
        .build();
    return new ChromeDriver(service, options);
  }

  private static String executable(String variable, String fallback) {
    String path = System.getenv().getOrDefault(variable, fallback);
    if (!new File(path).canExecute()) {
      throw new IllegalStateException(path + " is missing: the Web UI tests need Debian's chromium and "
          + "chromium-driver, which ./run test installs");
    }
    return path;
  }
}
