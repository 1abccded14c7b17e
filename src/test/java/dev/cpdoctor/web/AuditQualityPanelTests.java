package dev.cpdoctor.web;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.history.AuditInputCount;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Audit page's data-quality panel and its JSON over what the audit intake answers:
 * the answer first (kept, refused, the biggest reason), each reason with its first input
 * inside code and escaped, and the last batch that held no usable event.
 */
class AuditQualityPanelTests extends AbstractWebSliceTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String HOSTILE = "{\"auditID\":\"x\",\"userAgent\":\"<script>alert(1)</script>\\u0000\\xff\"}";

	private static final Instant AT = Instant.parse("2026-11-22T10:15:00Z");

	private static AuditDataQuality quality(AuditDataQuality.UnusableBatch unusable) {
		List<AuditInputCount> inputs = List.of(new AuditInputCount("file", AuditInputCount.KEPT, 900, null),
				new AuditInputCount("webhook", AuditInputCount.KEPT, 334, null),
				new AuditInputCount("webhook", "invalid UTF-8", 3, HOSTILE),
				new AuditInputCount("file", "invalid UTF-8", 2, null), new AuditInputCount("webhook",
						"user agent longer than 1024 characters (cut)", 7, "{\"auditID\":\"y\"}"),
				new AuditInputCount("webhook", "no auditID", 1, null));
		return new AuditDataQuality(true, inputs,
				new AuditDataQuality.Ingest(12, 1241, 1200, 0, 0, 0, 0, 0, 0, AT, null), null, unusable);
	}

	@Test
	void theAnswerComesFirstThenEachReasonWithItsFirstInputEscapedInsideCode() throws Exception {
		this.fakes.intake.qualities.put("lab", SourceResult.ok(quality(null)));
		String page = get("/audit?cluster=lab", "text/html").body();
		String panel = page.substring(page.indexOf("id=\"panel-quality\""));
		assertThat(panel).containsSubsequence("<strong>1,234 events kept</strong>", "(7 of them repaired)", "6 refused",
				"The biggest reason: invalid UTF-8 (5 events)", "id=\"quality-problems\"",
				"user agent longer than 1024 characters (cut) · kept", "invalid UTF-8 · refused", "no auditID");
		assertThat(panel)
			.contains("<code>{&quot;auditID&quot;:&quot;x&quot;,&quot;userAgent&quot;:&quot;"
					+ "&lt;script&gt;alert(1)&lt;/script&gt;\\u0000\\xff&quot;}</code>")
			.doesNotContain("<script>")
			.doesNotContain("id=\"quality-unusable\"");
		// A reason counted before samples were kept says so instead of showing nothing.
		assertThat(panel).contains("not kept (counted before samples were)");
	}

	@Test
	void theLastBatchWithNoUsableEventIsSaidPlainly() throws Exception {
		this.fakes.intake.qualities.put("lab",
				SourceResult.ok(quality(new AuditDataQuality.UnusableBatch(AT, "invalid UTF-8", HOSTILE, true))));
		String page = get("/audit?cluster=lab", "text/html").body();
		assertThat(page)
			.contains("The last webhook batch, at 2026-11-22 10:15 UTC, held no usable event: invalid UTF-8")
			.contains("<code class=\"sample\">{&quot;auditID&quot;")
			.doesNotContain("<script>");
		this.fakes.intake.qualities.put("lab",
				SourceResult.ok(quality(new AuditDataQuality.UnusableBatch(AT, "invalid UTF-8", null, false))));
		assertThat(get("/audit?cluster=lab", "text/html").body())
			.contains("A webhook batch at 2026-11-22 10:15 UTC, held no usable event: invalid UTF-8 (the batches after")
			.doesNotContain("<code class=\"sample\">");
	}

	@Test
	void theJsonCarriesTheSameAnswer() throws Exception {
		this.fakes.intake.qualities.put("lab",
				SourceResult.ok(quality(new AuditDataQuality.UnusableBatch(AT, "invalid UTF-8", HOSTILE, true))));
		HttpResponse<String> response = get("/api/v1/clusters/lab/audit/data-quality", "application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode quality = JSON.readTree(response.body());
		assertThat(quality.get("kept").asLong()).isEqualTo(1234);
		assertThat(quality.get("refused").asLong()).isEqualTo(6);
		assertThat(quality.get("repaired").asLong()).isEqualTo(7);
		assertThat(quality.get("hours").asInt()).isEqualTo(24);
		assertThat(quality.get("biggest").get("reason").asString()).isEqualTo("invalid UTF-8");
		JsonNode first = quality.get("reasons").get(0);
		assertThat(first.get("reason").asString()).isEqualTo("user agent longer than 1024 characters (cut)");
		assertThat(first.get("repair").asBoolean()).isTrue();
		assertThat(quality.get("reasons").get(1).get("sample").asString()).isEqualTo(HOSTILE);
		assertThat(quality.get("lastUnusableBatch").get("at").asString()).isEqualTo(AT.toString());
		assertThat(quality.get("lastUnusableBatch").get("sample").asString()).isEqualTo(HOSTILE);

		this.fakes.intake.qualities.put("lab", SourceResult.failed("Input counts could not be read: disk full"));
		HttpResponse<String> failed = get("/api/v1/clusters/lab/audit/data-quality", "application/json");
		assertThat(failed.statusCode()).isEqualTo(502);
		assertThat(failed.body()).contains("disk full");
		assertThat(get("/api/v1/clusters/bare/audit/data-quality", "application/json").statusCode()).isEqualTo(404);
	}

}
