package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: headless Chromium driven through chromedriver, both from the
 * operating system's packages (Debian's {@code chromium} and {@code chromium-driver}), against a
 * gateway started in this JVM. One browser serves every test. Each test saves a screenshot under
 * {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static ChromeDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail(
          "the console's browser tests need Chromium and chromedriver at "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + "; install them with: apt-get install -y chromium chromium-driver"
              + " (.ci/run does this when they are missing)");
    }
    // Selenium would otherwise ask Selenium Manager, which may download a driver or a browser.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    gateway = GatewayFixture.start(dir);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createDirectory(dir.resolve("chromium-profile")));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    wait.pollingEvery(Duration.ofMillis(50)); // the default half second adds up over the flows
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private String screenshot;

  @BeforeEach
  void fresh(TestInfo test) {
    screenshot = test.getTestMethod().orElseThrow().getName();
    browser.manage().window().setSize(new Dimension(1280, 900));
    browser.get(gateway.uri("/").toString());
    ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    browser.get(gateway.uri("/").toString());
    waitFor(By.id("signin-email"));
  }

  @AfterEach
  void noAlertEver() throws IOException {
    shoot(screenshot);
    assertNoAlert();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static WebElement waitFor(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void waitForText(String text) {
    wait.until(d -> d.findElement(By.tagName("body")).getText().contains(text));
  }

  private static void shoot(String name) throws IOException {
    File file = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(
        file.toPath(),
        SCREENSHOTS.resolve(name + ".png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void assertNoAlert() {
    try {
      String text = browser.switchTo().alert().getText();
      fail("a script ran and opened an alert: " + text);
    } catch (NoAlertPresentException expected) {
      // no script from the data ran
    }
  }

  private static void signIn(String email, String token) {
    WebElement field = waitFor(By.id("signin-email"));
    field.clear();
    field.sendKeys(email);
    browser.findElement(By.id("signin-token")).sendKeys(token + Keys.ENTER);
  }

  private static void signInAs(String email, String firstPage) {
    signIn(email, gateway.token(email));
    waitFor(By.linkText(firstPage));
  }

  private static void go(String linkText, String heading) {
    browser.findElement(By.linkText(linkText)).click();
    wait.until(d -> d.findElement(By.tagName("h1")).getText().equals(heading));
  }

  private static WebElement dialog() {
    return waitFor(By.cssSelector("dialog[open]"));
  }

  private static void press(WebElement scope, String buttonText) {
    scope.findElement(By.xpath(".//button[normalize-space()='" + buttonText + "']")).click();
  }

  private static WebElement rowOf(String name) {
    return wait.until(
        d ->
            d.findElements(By.cssSelector("main tbody tr")).stream()
                .filter(tr -> tr.findElement(By.cssSelector("td")).getText().equals(name))
                .findFirst()
                .orElse(null));
  }

  private static String pageSource() {
    return browser.getPageSource();
  }

  // ---- sign in, sign out, 401 -----------------------------------------------------------------

  @Test
  void signIn_wrongToken_saysSo_thenRightToken_showsMyTokens_signOutForgets() throws IOException {
    signIn(GatewayFixture.ANN, "gw_not-a-token");
    waitForText("That email and token were not accepted");
    assertThat(browser.findElement(By.id("signin-token")).getAttribute("value")).isEmpty();
    shoot("signIn_refused");

    signInAs(GatewayFixture.ANN, "My tokens");
    rowOf("bootstrap");
    assertThat(browser.findElements(By.linkText("Corp tokens"))).as("not an owner").isEmpty();
    assertThat(browser.getCurrentUrl()).doesNotContain("gw_");
    Object stored =
        ((JavascriptExecutor) browser)
            .executeScript("return [localStorage.length, document.cookie]");
    assertThat(stored).isEqualTo(List.of(0L, ""));

    browser.findElement(By.id("signout")).click();
    waitForText("You are signed out.");
    assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length"))
        .isEqualTo(0L);
  }

  @Test
  void tokenDeletedElsewhere_nextCallAnswers401_backToSignIn() {
    GatewayFixture.Reply made =
        gateway.as(GatewayFixture.ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"short-lived\"}");
    String id = made.json().get("id").stringValue();
    signIn(GatewayFixture.ANN, made.json().get("token").stringValue());
    rowOf("short-lived");
    assertThat(gateway.as(GatewayFixture.ANN, "DELETE", "/api/v0/me/tokens/" + id, null).status())
        .isEqualTo(204);
    browser.navigate().refresh(); // the page calls the API again with the deleted token
    waitForText("Your session ended");
    waitFor(By.id("signin-email"));
    assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length"))
        .isEqualTo(0L);
  }

  // ---- my tokens ------------------------------------------------------------------------------

  @Test
  void myTokens_add_showsTokenOnce_goneFromThePageAfter_thenDeleteWithConfirmation()
      throws IOException {
    signInAs(GatewayFixture.ANN, "My tokens");
    waitFor(By.id("new-token-name")).sendKeys("deploy");
    browser.findElement(By.id("new-token-days")).sendKeys("30");
    press(browser.findElement(By.tagName("main")), "Add token");
    WebElement dialog = dialog();
    String secret = dialog.findElement(By.id("new-token")).getText();
    assertThat(secret).startsWith("gw_");
    assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Copy");
    // Tab stays in the dialog: Copy, I have stored it, then round to the secret and Copy again.
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(browser.switchTo().activeElement().getText()).isEqualTo("I have stored it");
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("new-token");
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Copy");
    browser.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
    browser.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
    assertThat(browser.switchTo().activeElement().getText()).isEqualTo("I have stored it");
    browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    assertThat(browser.findElements(By.cssSelector("dialog[open]"))).as("Escape").hasSize(1);
    shoot("myTokens_showOnceDialog");

    press(dialog, "I have stored it");
    waitForText("Token \"deploy\" added.");
    WebElement row = rowOf("deploy");
    assertThat(row.getText()).contains("active");
    assertThat(pageSource()).doesNotContain(secret).doesNotContain(secret.substring(3, 30));
    assertThat(browser.findElements(By.tagName("dialog"))).isEmpty();
    // The secret works: the gateway accepts it.
    assertThat(gateway.call("GET", "/api/v0/me/tokens", GatewayFixture.ANN, secret, null).status())
        .isEqualTo(200);

    press(row, "Delete");
    press(dialog(), "Cancel");
    rowOf("deploy");
    press(rowOf("deploy"), "Delete");
    WebElement confirm = dialog();
    assertThat(confirm.getText()).contains("Delete \"deploy\"?");
    press(confirm, "Delete");
    waitForText("Token \"deploy\" deleted.");
    assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("deploy\n");
    assertThat(gateway.call("GET", "/api/v0/me/tokens", GatewayFixture.ANN, secret, null).status())
        .isEqualTo(401);
  }

  @Test
  void myTokens_xssInATokenName_isShownAsText() throws IOException {
    String name = "<img src=x onerror=alert(1)><script>alert(2)</script>\"'";
    signInAs(GatewayFixture.ANN, "My tokens");
    waitFor(By.id("new-token-name")).sendKeys(name);
    press(browser.findElement(By.tagName("main")), "Add token");
    WebElement dialog = dialog();
    assertThat(dialog.findElement(By.tagName("h2")).getText()).contains(name);
    shoot("myTokens_xssDialog");
    press(dialog, "I have stored it");
    WebElement row = rowOf(name);
    assertThat(row.findElements(By.tagName("img"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("main script, main img"))).isEmpty();
    assertNoAlert();
  }

  @Test
  void myTokens_rotateWithGrace_andOwnAllowList() {
    gateway.as(GatewayFixture.ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"rotating\"}");
    signInAs(GatewayFixture.ANN, "My tokens");
    press(rowOf("rotating"), "Rotate");
    WebElement ask = dialog();
    WebElement grace = ask.findElement(By.id("grace"));
    grace.clear();
    grace.sendKeys("15");
    press(ask, "Rotate");
    WebElement shown = dialog();
    assertThat(shown.getText()).contains("The old secret works until");
    press(shown, "I have stored it");
    waitForText("Token \"rotating\" rotated.");
    assertThat(rowOf("rotating").getText()).contains("old secret works until");

    press(rowOf("rotating"), "Allowed IPs");
    WebElement ips = dialog();
    ips.findElement(By.id("token-ips")).sendKeys("not an address");
    press(ips, "Save");
    waitForText("line 1: not an address");
    press(rowOf("rotating"), "Allowed IPs");
    ips = dialog();
    ips.findElement(By.id("token-ips")).sendKeys("127.0.0.1");
    press(ips, "Save");
    waitForText("Allowed IPs of \"rotating\" saved.");
    assertThat(rowOf("rotating").getText()).contains("127.0.0.1");
  }

  // ---- owners ---------------------------------------------------------------------------------

  @Test
  void corpTokens_statusFiltersPagingAndDelete() throws IOException {
    for (int i = 1; i <= 4; i++) {
      gateway.as(GatewayFixture.BOB, "POST", "/api/v0/me/tokens", "{\"name\":\"bob-" + i + "\"}");
      gateway.as(GatewayFixture.OLGA, "POST", "/api/v0/me/tokens", "{\"name\":\"olga-" + i + "\"}");
    }
    signInAs(GatewayFixture.OLGA, "Corp tokens");
    go("Corp tokens", "Corp tokens");
    rowOf("bootstrap");
    // 11 tokens or more at 10 a page: a next page, then a previous one.
    assertThat(browser.findElements(By.cssSelector("main tbody tr"))).hasSize(10);
    waitFor(By.id("next-page")).click();
    waitForText("Page 2 of the corp's tokens");
    press(browser.findElement(By.tagName("main")), "Previous page");
    waitForText("Page 1 of the corp's tokens");

    browser.findElement(By.id("filter-creator")).sendKeys(GatewayFixture.BOB);
    browser.findElement(By.id("filter-name")).sendKeys("bob-2" + Keys.ENTER);
    wait.until(d -> d.findElements(By.cssSelector("main tbody tr")).size() == 1);
    WebElement row = rowOf("bob-2");
    assertThat(row.getText()).contains(GatewayFixture.BOB).contains("active");

    new Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("expired");
    press(browser.findElement(By.tagName("main")), "Filter");
    waitForText("No tokens match.");
    new Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("active");
    press(browser.findElement(By.tagName("main")), "Filter");
    shoot("corpTokens_filtered");

    press(rowOf("bob-2"), "Delete");
    WebElement confirm = dialog();
    assertThat(confirm.getText()).contains("bob-2").contains(GatewayFixture.BOB);
    press(confirm, "Delete");
    waitForText("Token \"bob-2\" deleted.");
    waitForText("No tokens match.");
  }

  @Test
  void settings_refusedLinesMarked_xssLineAsText_thenPreviewThenSave() throws IOException {
    signInAs(GatewayFixture.OLGA, "Corp settings");
    go("Corp settings", "Corp settings");
    WebElement ips = waitFor(By.id("allowed-ips"));
    String xss = "<img src=x onerror=alert(3)>";
    ips.clear();
    ips.sendKeys("127.0.0.1\n" + xss + "\n10.0.0.0/8\n999.1.1.1");
    press(browser.findElement(By.tagName("main")), "Preview");
    WebElement lines = waitFor(By.id("allowed-ips-lines"));
    List<WebElement> refused = lines.findElements(By.cssSelector("li.refused"));
    assertThat(refused).hasSize(2);
    assertThat(refused.get(0).getText()).startsWith(xss).contains("←");
    assertThat(refused.get(1).getText()).startsWith("999.1.1.1").contains("←");
    assertThat(lines.findElements(By.tagName("img"))).isEmpty();
    assertThat(ips.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findElement(By.id("save")).isEnabled()).isFalse();
    assertNoAlert();
    shoot("settings_refusedLines");

    ips.clear();
    ips.sendKeys("127.0.0.1\n10.0.0.0/8");
    new Select(browser.findElement(By.id("expiry"))).selectByVisibleText("90 days");
    browser.findElement(By.id("inactive-days")).sendKeys("30");
    press(browser.findElement(By.tagName("main")), "Preview");
    waitForText("What saving would change");
    assertThat(browser.findElement(By.id("allowed-ips-lines")).getText()).isEmpty();
    shoot("settings_preview");
    WebElement save = browser.findElement(By.id("save"));
    assertThat(save.isEnabled()).isTrue();
    save.click();
    waitForText("Settings saved.");
    GatewayFixture.Reply now =
        gateway.as(GatewayFixture.OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null);
    assertThat(now.json().get("expiryDays").intValue()).isEqualTo(90);
    assertThat(now.json().get("inactiveDays").intValue()).isEqualTo(30);
    assertThat(now.json().get("allowedIps").stringValue()).isEqualTo("10.0.0.0/8\n127.0.0.1\n");

    // Back to no restriction, so the other tests are not affected.
    ips = browser.findElement(By.id("allowed-ips"));
    ips.clear();
    new Select(browser.findElement(By.id("expiry"))).selectByVisibleText("no expiry");
    browser.findElement(By.id("inactive-days")).clear();
    press(browser.findElement(By.tagName("main")), "Preview");
    waitForText("What saving would change");
    browser.findElement(By.id("save")).click();
    waitForText("Settings saved.");
  }

  @Test
  void settings_lockOut_warnedInPreview_andSaveAsksFirst() {
    signInAs(GatewayFixture.OLGA, "Corp settings");
    go("Corp settings", "Corp settings");
    WebElement ips = waitFor(By.id("allowed-ips"));
    ips.clear();
    ips.sendKeys("10.0.0.0/8"); // not the browser's 127.0.0.1: the owner would be locked out
    press(browser.findElement(By.tagName("main")), "Preview");
    waitForText("What saving would change");
    assertThat(browser.findElements(By.cssSelector("#preview .warning"))).isNotEmpty();
    browser.findElement(By.id("save")).click();
    WebElement ask = dialog();
    assertThat(ask.getText()).contains("This could lock the corp out");
    press(ask, "Cancel");
    waitForText("Nothing was saved.");
    assertThat(
            gateway
                .as(GatewayFixture.OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null)
                .json()
                .get("allowedIps")
                .stringValue())
        .isEmpty();
  }

  @Test
  void settings_stagedList_savedReportOnly_enforceAsksAboutLockOut() throws IOException {
    signInAs(GatewayFixture.OLGA, "Corp settings");
    go("Corp settings", "Corp settings");
    waitForText("No list is staged.");
    assertThat(browser.findElement(By.id("enforce")).isEnabled()).isFalse();
    waitFor(By.id("staged-ips")).sendKeys("10.0.0.0/8");
    press(browser.findElement(By.tagName("main")), "Preview");
    waitForText("What saving would change");
    browser.findElement(By.id("save")).click();
    waitForText("Settings saved.");
    waitForText("Staged since");
    assertThat(
            gateway
                .as(GatewayFixture.OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null)
                .json()
                .get("stagedAllowedIps")
                .stringValue())
        .isEqualTo("10.0.0.0/8\n");

    WebElement enforce = browser.findElement(By.id("enforce"));
    assertThat(enforce.isEnabled()).isTrue();
    enforce.click();
    press(dialog(), "Enforce");
    WebElement ask = dialog(); // 10.0.0.0/8 would refuse this owner's own 127.0.0.1
    assertThat(ask.getText()).contains("This could lock the corp out");
    shoot("settings_stagedEnforceLockOut");
    press(ask, "Cancel");
    wait.until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());

    go("Corp tokens", "Corp tokens");
    // While a list is staged, each row says what it would block (counted as requests arrive).
    assertThat(rowOf("bootstrap").getText()).containsPattern("\\d+ request\\(s\\)");

    go("Corp settings", "Corp settings");
    waitFor(By.id("staged-ips")).clear();
    press(browser.findElement(By.tagName("main")), "Preview");
    waitForText("What saving would change");
    browser.findElement(By.id("save")).click();
    waitForText("No list is staged.");
  }

  @Test
  void users_grantWithAnEnd_thenRevoke() {
    signInAs(GatewayFixture.OLGA, "Corp users");
    go("Corp users", "Corp users");
    WebElement row = rowOf(GatewayFixture.ANN);
    assertThat(row.getText()).contains("not allowed");
    ((JavascriptExecutor) browser)
        .executeScript(
            "arguments[0].value = '2999-01-01T00:00'",
            row.findElement(By.cssSelector("input[type=datetime-local]")));
    press(row, "Grant");
    waitForText("Granted the token permission to " + GatewayFixture.ANN + ".");
    assertThat(rowOf(GatewayFixture.ANN).getText()).contains("allowed until 2999-01-01 00:00 UTC");
    assertThat(
            gateway
                .as(
                    GatewayFixture.OLGA,
                    "GET",
                    "/api/v0/corps/acme/users/ann@example.com/tokenPermission",
                    null)
                .json()
                .get("until")
                .stringValue())
        .isEqualTo("2999-01-01T00:00:00Z");
    press(rowOf(GatewayFixture.ANN), "Revoke");
    waitForText("Revoked the token permission of " + GatewayFixture.ANN + ".");
    assertThat(rowOf(GatewayFixture.ANN).getText()).contains("not allowed");
  }

  @Test
  void phoneWidth_tablesBecomeCards() throws IOException {
    browser.manage().window().setSize(new Dimension(390, 844));
    signInAs(GatewayFixture.OLGA, "My tokens");
    WebElement row = rowOf("bootstrap");
    Object width =
        ((JavascriptExecutor) browser)
            .executeScript("return document.documentElement.scrollWidth <= window.innerWidth");
    assertThat(width).as("no sideways scrolling").isEqualTo(true);
    assertThat(row.getCssValue("display")).isEqualTo("block");
  }
}
