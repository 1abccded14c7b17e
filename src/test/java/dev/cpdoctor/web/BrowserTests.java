package dev.cpdoctor.web;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.source.demo.DemoScenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo in real headless Chromium (Debian's chromium and chromedriver): charts really
 * paint, navigation keeps the state in the URL, "Copy link" pins a relative window, and a
 * hostile user agent stays text.
 */
class BrowserTests extends AbstractEndToEndTests {

	private static WebDriver driver;

	@BeforeAll
	static void startBrowser() throws Exception {
		driver = Chromium.start();
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@BeforeEach
	void noDialogLeftOver() {
		assertNoAlert();
	}

	@Test
	void overviewChartsPaintPixels() {
		open("/?cluster=demo");
		assertThat(driver.findElement(By.id("demo-banner")).getText()).contains("Demo data");
		assertThat(paintedPixels("etcd-gauge")).as("gauge pixels").isGreaterThan(2_000);
		assertThat(paintedPixels("latency-chart")).as("latency chart pixels").isGreaterThan(2_000);
		// Axes and legend paint pixels too: the charts must also hold data points.
		assertThat(dataPoints("etcd-gauge")).isEqualTo(2);
		assertThat(dataPoints("latency-chart")).isGreaterThan(100);
		// The measure can fail: a canvas nobody drew on has no painted pixel.
		Object blank = js().executeScript("const c = document.createElement('canvas'); c.id = 'blank';"
				+ " c.width = 50; c.height = 50; document.body.appendChild(c); return true;");
		assertThat(blank).isEqualTo(true);
		assertThat(paintedPixels("blank")).isZero();
	}

	@Test
	void navigationCarriesClusterWindowAndUserAgentInTheUrl() {
		open("/?cluster=demo");
		String from = driver.findElement(By.name("from")).getAttribute("value");
		String to = driver.findElement(By.name("to")).getAttribute("value");
		driver.findElement(By.id("nav-audit")).click();
		waitForCharts();
		Map<String, String> params = queryOf(driver.getCurrentUrl());
		assertThat(URI.create(driver.getCurrentUrl()).getPath()).isEqualTo("/audit");
		assertThat(params).containsEntry("cluster", "demo");
		assertThat(Instant.parse(params.get("from"))).isEqualTo(Instant.parse(from));
		assertThat(Instant.parse(params.get("to"))).isEqualTo(Instant.parse(to));
		assertThat(paintedPixels("top-chart")).isGreaterThan(2_000);

		driver.findElement(By.linkText(DemoScenario.FLOODING_USER_AGENT)).click();
		waitForCharts();
		params = queryOf(driver.getCurrentUrl());
		assertThat(params).containsEntry("ua", DemoScenario.FLOODING_USER_AGENT).containsEntry("cluster", "demo");
		List<WebElement> cells = driver.findElements(By.cssSelector("#p99-table tbody tr:first-child td"));
		assertThat(cells).extracting(WebElement::getText).startsWith("list", "pods");

		driver.findElement(By.id("nav-etcd")).click();
		waitForCharts();
		assertThat(queryOf(driver.getCurrentUrl())).containsEntry("ua", DemoScenario.FLOODING_USER_AGENT)
			.containsEntry("from", params.get("from"));
		assertThat(paintedPixels("growth-chart")).isGreaterThan(2_000);
		assertThat(driver.findElement(By.cssSelector("#objects-table tbody tr:first-child td")).getText())
			.isEqualTo(DemoScenario.LEAKING_RESOURCE);
	}

	@Test
	void copyLinkPinsARelativeWindowToAbsoluteInstants() {
		open("/audit?cluster=demo&last=1h");
		assertThat(queryOf(driver.getCurrentUrl())).containsEntry("last", "1h").doesNotContainKey("from");
		driver.findElement(By.id("copy-link")).click();
		WebElement out = driver.findElement(By.id("permalink-out"));
		String link = out.getAttribute("value");
		Map<String, String> params = queryOf(link);
		assertThat(params).containsKeys("from", "to").doesNotContainKey("last").containsEntry("cluster", "demo");
		Instant from = Instant.parse(params.get("from"));
		Instant to = Instant.parse(params.get("to"));
		assertThat(Duration.between(from, to)).isEqualTo(Duration.ofHours(1));
		// Opened later, the link shows the same window, not "the last hour" of then.
		open(URI.create(link).getRawPath() + "?" + URI.create(link).getRawQuery());
		assertThat(driver.findElement(By.name("from")).getAttribute("value")).isEqualTo(from.toString());
		assertThat(driver.findElement(By.name("to")).getAttribute("value")).isEqualTo(to.toString());
	}

	@Test
	void hostileUserAgentIsShownAsTextAndNeverRuns() {
		open("/audit?cluster=demo");
		WebElement link = driver.findElement(By.linkText(DemoScenario.SCANNER_USER_AGENT));
		assertThat(link.getText()).isEqualTo("<img src=x onerror=alert(1)>");
		link.click();
		waitForCharts();
		assertThat(driver.findElement(By.id("selected-ua")).getText()).isEqualTo(DemoScenario.SCANNER_USER_AGENT);
		assertThat(driver.findElements(By.tagName("img"))).isEmpty();
		assertNoAlert();
	}

	/**
	 * The demo's requests without a user agent, picked from the table or from their bar,
	 * stay picked (no-ua=1) through the window form.
	 */
	@Test
	void requestsWithoutAUserAgentAreDrilledIntoFromTheTableAndTheChart() {
		open("/audit?cluster=demo");
		driver.findElement(By.linkText("(no user agent)")).click();
		waitForCharts();
		assertThat(queryOf(driver.getCurrentUrl())).containsEntry("no-ua", "1").doesNotContainKey("ua");
		assertThat(driver.findElement(By.id("selected-ua")).getText()).isEqualTo("(no user agent)");
		List<WebElement> rows = driver.findElements(By.cssSelector("#p99-table tbody tr"));
		assertThat(rows)
			.extracting((row) -> row.findElements(By.tagName("td")).get(0).getText() + " "
					+ row.findElements(By.tagName("td")).get(1).getText())
			.containsExactlyInAnyOrder("get secrets", "list namespaces");
		driver.findElement(By.cssSelector(".window-form button[type=submit]")).click();
		waitForCharts();
		assertThat(queryOf(driver.getCurrentUrl())).containsEntry("no-ua", "1").doesNotContainKey("ua");

		open("/audit?cluster=demo");
		Object clicked = js().executeScript("const chart = Chart.getChart(document.getElementById('top-chart'));"
				+ " const i = chart.data.labels.indexOf('(no user agent)'); if (i < 0) return false;"
				+ " chart.options.onClick(null, [{ index: i }]); return true;");
		assertThat(clicked).isEqualTo(true);
		new WebDriverWait(driver, Duration.ofSeconds(20)).until((d) -> d.getCurrentUrl().contains("no-ua=1"));
		waitForCharts();
		assertThat(queryOf(driver.getCurrentUrl())).containsEntry("no-ua", "1").doesNotContainKey("ua");
		assertThat(driver.findElements(By.cssSelector("#p99-table tbody tr"))).hasSize(2);
	}

	@Test
	void theGuideWalksFromTheSymptomTableToACopiedRemedyOfTheLikelyCause() {
		open("/troubleshoot?cluster=demo");
		String from = driver.findElement(By.name("from")).getAttribute("value");
		driver.findElement(By.id("open-high-latency")).click();
		waitForCharts();
		assertThat(URI.create(driver.getCurrentUrl()).getPath()).isEqualTo("/troubleshoot/high-latency");
		assertThat(queryOf(driver.getCurrentUrl())).containsEntry("cluster", "demo").containsKey("to");
		assertThat(Instant.parse(queryOf(driver.getCurrentUrl()).get("from"))).isEqualTo(Instant.parse(from));
		// The checklist's step 1 is embedded and painted.
		assertThat(paintedPixels("top-chart")).isGreaterThan(2_000);
		WebElement likely = driver.findElement(By.cssSelector("section.cause[data-verdict='LIKELY']"));
		assertThat(likely.findElement(By.cssSelector(".verdict")).getAttribute("class")).contains("verdict-likely");
		assertThat(likely.findElement(By.cssSelector(".verdict")).getAttribute("textContent")).isEqualTo("likely");
		// The first LIKELY cause with something to copy: the remedy's Copy button and its
		// text.
		WebElement button = driver.findElements(By.cssSelector("section.cause[data-verdict='LIKELY'] button.copy"))
			.get(0);
		WebElement text = driver.findElement(By.id(button.getAttribute("data-copy-target")));
		js().executeScript("arguments[0].scrollIntoView({block: 'center'});", button);
		assertThat(button.getText()).isEqualTo("Copy");
		button.click();
		new WebDriverWait(driver, Duration.ofSeconds(10)).until((d) -> "Copied".equals(button.getText()));
		// What was copied, read back through the page's hook rather than the OS
		// clipboard.
		assertThat(button.getAttribute("data-copied")).isEqualTo(text.getAttribute("textContent")).isNotBlank();
		assertNoAlert();
	}

	@Test
	void theDemoEtcdPageShowsThePrefixesAndScanAgainComesBackToThem() {
		open("/etcd?cluster=demo");
		String leak = "/registry/" + DemoScenario.LEAKING_GROUP + "/" + DemoScenario.LEAKING_RESOURCE + "/";
		assertThat(driver.findElement(By.cssSelector("#prefixes-table tbody tr:first-child code")).getText())
			.isEqualTo(leak);
		assertThat(driver.findElement(By.id("etcd-members")).getText()).contains("leader");
		// a real browser's form POST (it sends Origin) is accepted without a token, and
		// lands on the panel
		driver.findElement(By.cssSelector("#scan-again button")).click();
		new WebDriverWait(driver, Duration.ofSeconds(20)).until((d) -> d.getCurrentUrl().contains("#panel-keyspace"));
		assertThat(URI.create(driver.getCurrentUrl()).getPath()).isEqualTo("/etcd");
		assertThat(queryOf(driver.getCurrentUrl())).containsEntry("cluster", "demo");
		assertThat(driver.findElement(By.cssSelector("#prefixes-table tbody tr:first-child code")).getText())
			.isEqualTo(leak);
	}

	private void open(String path) {
		driver.get("http://127.0.0.1:" + port() + path);
		waitForCharts();
	}

	private static void waitForCharts() {
		new WebDriverWait(driver, Duration.ofSeconds(20)).until((d) -> "true".equals(((JavascriptExecutor) d)
			.executeScript("return document.body && document.body.getAttribute('data-charts-drawn')")));
	}

	@Test
	void theTimeoutsPageDrawsTheDemosOwnCallsUnderCauseOne() {
		open("/troubleshoot/timeouts?cluster=demo");
		WebElement network = driver.findElement(By.id("cause-1"));
		assertThat(network.getAttribute("data-verdict")).isEqualTo("UNLIKELY");
		assertThat(network.findElement(By.id("own-calls-chart")).isDisplayed()).isTrue();
		// 48 bins of answered calls, 2 of HTTP errors, 48 slowest-call points; no network
		// failure.
		assertThat(dataPoints("own-calls-chart")).isEqualTo(48 + 2 + 48);
		assertThat(paintedPixels("own-calls-chart")).isGreaterThan(2_000);
		assertNoAlert();
	}

	@Test
	void aWindowWithoutAuditDataDrawsEmptyChartsAndSaysWhy() {
		open("/audit?cluster=demo&from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z");
		assertThat(dataPoints("latency-chart")).isZero();
		assertThat(driver.findElement(By.id("panel-latency")).getText()).contains("this window lies outside it");
	}

	/** Non-null data points over all datasets of the Chart.js chart on a canvas. */
	private static long dataPoints(String canvasId) {
		Object count = js().executeScript("const chart = Chart.getChart(document.getElementById(arguments[0]));"
				+ " if (!chart) return -1; let n = 0;" + " chart.data.datasets.forEach(d => d.data.forEach(p => {"
				+ "   const y = (p !== null && typeof p === 'object') ? p.y : p; if (y !== null && y !== undefined && y > 0) n++; }));"
				+ " return n;", canvasId);
		return ((Number) count).longValue();
	}

	/**
	 * Canvas pixels with any opacity: the chart was drawn, not just a canvas element
	 * present.
	 */
	private static long paintedPixels(String canvasId) {
		Object count = js().executeScript(
				"const c = document.getElementById(arguments[0]);"
						+ " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
						+ " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;",
				canvasId);
		return ((Number) count).longValue();
	}

	private static JavascriptExecutor js() {
		return (JavascriptExecutor) driver;
	}

	private static void assertNoAlert() {
		assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
	}

	private static Map<String, String> queryOf(String url) {
		Map<String, String> params = new HashMap<>();
		String query = URI.create(url).getRawQuery();
		if (query == null) {
			return params;
		}
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return params;
	}

}
