package dev.cpdoctor.source.auditlog;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.AuditIntake.Delivery;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.SourcesConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Audit events as the application wires them: a cluster with cpdoctor.clusters[].audit
 * gets its questions answered from the stored rollups and a webhook that takes its token
 * only; every other cluster neither.
 */
class AuditLogConfigurationTests {

	private static final TimeWindow HOUR = TimeWindow.ending(Instant.parse("2026-11-22T10:00:00Z"),
			Duration.ofHours(1));

	private static final String BATCH = "{\"kind\":\"EventList\",\"items\":[{\"auditID\":\"a-1\","
			+ "\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"userAgent\":\"kubectl\","
			+ "\"requestReceivedTimestamp\":\"2026-11-22T09:30:00Z\",\"stageTimestamp\":\"2026-11-22T09:30:00.01Z\"}]}";

	private final ApplicationContextRunner runner = WiringRunners.stores()
		.withUserConfiguration(AuditLogConfiguration.class, SourcesConfiguration.class)
		.withPropertyValues("cpdoctor.demo.enabled=false", "cpdoctor.clusters[0].name=lab",
				"cpdoctor.clusters[0].audit.webhook-token=t0k3n", "cpdoctor.clusters[1].name=bare");

	@Test
	void aClusterWithAnAuditSourceIsAnsweredFromTheStoredRollups() {
		this.runner.run((context) -> {
			ClusterCatalog catalog = context.getBean(ClusterCatalog.class);
			ClusterSources sources = context.getBean(ClusterSources.class);
			assertThat(sources.topUserAgents(catalog.find("lab").orElseThrow(), HOUR, 10).warnings()).singleElement()
				.asString()
				.startsWith("No audit events of cluster 'lab' are stored yet");
			assertThat(sources.topUserAgents(catalog.find("bare").orElseThrow(), HOUR, 10).error())
				.startsWith("No audit source is configured for cluster 'bare'");
		});
	}

	@Test
	void theWebhookTakesTheClustersOwnTokenOnly() {
		this.runner.run((context) -> {
			AuditIntake intake = context.getBean(AuditIntake.class);
			assertThat(deliver(intake, "lab", "wrong")).isInstanceOf(Delivery.Refused.class);
			assertThat(deliver(intake, "bare", "t0k3n")).isInstanceOf(Delivery.Refused.class);
			assertThat(deliver(intake, "lab", "t0k3n")).isInstanceOfSatisfying(Delivery.Stored.class,
					(stored) -> assertThat(stored.events()).isEqualTo(1));
			assertThat(intake.quality("lab")).isPresent();
			assertThat(intake.quality("bare")).isEmpty();
		});
	}

	private static Delivery deliver(AuditIntake intake, String cluster, String token) throws Exception {
		byte[] body = BATCH.getBytes(StandardCharsets.UTF_8);
		return intake.deliver(cluster, token, body.length, new ByteArrayInputStream(body));
	}

}
