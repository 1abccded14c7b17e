package dev.cpdoctor.web;

import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.source.MetricsUpload.Refusal;
import dev.cpdoctor.source.MetricsUpload.Upload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The /metrics upload in HTTP over what the upload answers: each refusal its status and
 * its reason, a bad 'at' or body type refused before the upload is asked.
 */
class EtcdApiControllerTests extends AbstractWebSliceTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String DUMP = "apiserver_storage_size_bytes{cluster=\"a\"} 1\n";

	@Test
	void theDumpAndItsTimeReachTheUpload() throws Exception {
		upload("/api/v1/clusters/bundle-17/metrics?at=2026-11-01T10:00:00Z", "text/plain");
		assertThat(this.fakes.uploads.cluster).isEqualTo("bundle-17");
		assertThat(this.fakes.uploads.at).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
		assertThat(this.fakes.uploads.body).isEqualTo(DUMP);
	}

	@Test
	void eachRefusalIsItsStatusWithTheReason() throws Exception {
		assertRefused(Refusal.INVALID, 400);
		assertRefused(Refusal.DEMO, 409);
		assertRefused(Refusal.TOO_LARGE, 413);
	}

	@Test
	void aBadTimeOrBodyTypeIsRefusedBeforeTheUploadIsAsked() throws Exception {
		HttpResponse<String> yesterday = upload("/api/v1/clusters/lab/metrics?at=yesterday", "text/plain");
		assertThat(yesterday.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(yesterday.body()).get("message").asString())
			.isEqualTo("'at' must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
		HttpResponse<String> form = upload("/api/v1/clusters/lab/metrics", "application/x-www-form-urlencoded");
		assertThat(form.statusCode()).isEqualTo(415);
		assertThat(form.body()).contains("application/x-www-form-urlencoded").doesNotContain(ErrorMessages.INTERNAL);
		assertThat(this.fakes.uploads.cluster).isNull();
	}

	private void assertRefused(Refusal refusal, int status) throws Exception {
		this.fakes.uploads.answer = new Upload.Refused(refusal, "refused as " + refusal);
		HttpResponse<String> response = upload("/api/v1/clusters/lab/metrics", "text/plain");
		assertThat(response.statusCode()).as(refusal.name()).isEqualTo(status);
		assertThat(JSON.readTree(response.body()).get("message").asString()).isEqualTo("refused as " + refusal);
	}

	private HttpResponse<String> upload(String path, String contentType) throws Exception {
		return send(HttpMethod.POST, path, DUMP, "Content-Type", contentType, "Accept", "application/json");
	}

}
