package dev.cpdoctor.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.audit.AuditTraffic;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Audit page's "Import audit log" panel in Chromium: a file picked and sent shows its
 * report and a link to its window, whose page shows the imported clients; a second import
 * of the same file says it counted nothing new; a body that is no audit log says why.
 */
class AuditImportPageTests {

	private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

	@TempDir
	Path dir;

	@Test
	void aLogPickedOnThePageIsImportedAndItsWindowOpens() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(51, 800, 3, T0, 20);
		Path log = Files.write(this.dir.resolve("audit.log"), traffic.jsonLinesBytes(true));
		Path html = Files.writeString(this.dir.resolve("error.html"), "<html>502 Bad Gateway</html>");
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", this.dir.resolve("data").toString());
		WebDriver driver = Chromium.start();
		try (TestApp app = TestApp.start(properties)) {
			driver.get(app.uri("/audit").toString());
			String status = importFile(driver, "bundle-9", log);
			assertThat(status).contains("800 requests counted").doesNotContain("refused");
			driver.findElement(By.id("import-open")).click();
			new WebDriverWait(driver, Duration.ofSeconds(20))
				.until((d) -> d.getCurrentUrl().contains("cluster=bundle-9"));
			String top = driver.findElement(By.id("panel-top")).getText();
			traffic.requestsPerUserAgent().keySet().forEach((ua) -> assertThat(top).contains(ua));
			assertThat(driver.findElement(By.id("import-cluster")).getAttribute("value")).isEqualTo("bundle-9");
			new WebDriverWait(driver, Duration.ofSeconds(20))
				.until((d) -> !d.findElements(By.cssSelector("#import-list li")).isEmpty());
			assertThat(importFile(driver, "bundle-9", log)).contains("0 requests counted")
				.contains("counted before (imported already)");
			assertThat(importFile(driver, "bundle-10", html)).contains("Not imported (HTTP 400)")
				.contains("No audit event");
		}
		finally {
			driver.quit();
		}
	}

	/** Picks the file, sends it, and answers the status line once the answer came. */
	private static String importFile(WebDriver driver, String cluster, Path file) {
		driver.findElement(By.id("import-cluster")).clear();
		driver.findElement(By.id("import-cluster")).sendKeys(cluster);
		driver.findElement(By.id("import-file")).sendKeys(file.toAbsolutePath().toString());
		String before = driver.findElement(By.id("import-status")).getText();
		driver.findElement(By.id("import-submit")).click();
		new WebDriverWait(driver, Duration.ofSeconds(60)).until((d) -> {
			String now = d.findElement(By.id("import-status")).getText();
			return !now.equals(before) && (now.startsWith("Imported") || now.startsWith("Not imported"));
		});
		assertThat(driver.findElement(By.id("import-progress")).getAttribute("value")).isEqualTo("100");
		return driver.findElement(By.id("import-status")).getText();
	}

}
