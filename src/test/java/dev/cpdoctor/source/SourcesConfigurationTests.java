package dev.cpdoctor.source;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routed sources as the sources' configuration builds them from the routes the source
 * packages declare: a cluster's own route first, the apiserver's (for any cluster) last,
 * and a failure saying what to configure where no route answers.
 */
class SourcesConfigurationTests {

	static final Cluster DEMO = new Cluster("demo", Provider.DEMO, KubeAccess.none(), null, "built-in demo scenario");

	static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab", null), null,
			"configuration");

	static final Cluster PROD = new Cluster("prod-weu", Provider.AKS, KubeAccess.none(), null, "configuration");

	static final TimeWindow HOUR = TimeWindow.ending(Instant.parse("2026-11-22T10:00:00Z"), Duration.ofHours(1));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(SourcesConfiguration.class);

	@Test
	void theApiserverAnswersForEveryClusterNoOtherRouteIsFor() {
		this.runner.withUserConfiguration(ApiserverFirst.class).run((context) -> {
			ClusterSources sources = context.getBean(ClusterSources.class);
			assertThat(sources.webhooks(DEMO).error()).isEqualTo("the demo's webhooks");
			assertThat(sources.webhooks(LAB).error()).isEqualTo("the apiserver's webhooks");
			assertThat(sources.failedCalls(PROD).error()).isEqualTo("the apiserver's webhooks");
		});
	}

	@Test
	void aClustersOwnAuditSourceAnswersForItAndNoOther() {
		this.runner.withUserConfiguration(WorkspaceAudit.class).run((context) -> {
			ClusterSources sources = context.getBean(ClusterSources.class);
			assertThat(sources.topUserAgents(PROD, HOUR, 10).error()).isEqualTo("corrected");
			assertThat(sources.inForm(true).topUserAgents(PROD, HOUR, 10).error()).isEqualTo("documented");
			assertThat(sources.hasDocumentedForm(PROD)).isTrue();
			assertThat(sources.topUserAgents(LAB, HOUR, 10).error())
				.startsWith("No audit source is configured for cluster 'lab'");
			assertThat(sources.hasDocumentedForm(LAB)).isFalse();
			// AuditAnalytics, WebhookSource and PlatformEtcdUsage are all the one
			// routed source.
			assertThat(context.getBean(AuditAnalytics.class)).isSameAs(sources);
			assertThat(context.getBean(WebhookSource.class)).isSameAs(sources);
			assertThat(context.getBean(PlatformEtcdUsage.class)).isSameAs(sources);
		});
	}

	@Test
	void withoutRoutesEveryQuestionFailsAsAValueSayingWhatToConfigure() {
		this.runner.run((context) -> {
			ClusterSources sources = context.getBean(ClusterSources.class);
			assertThat(sources.webhooks(LAB).error()).contains("are not read yet: that needs apiserver access");
			assertThat(sources.latest(LAB, HOUR).error()).contains("has no platform etcd usage metric");
			EtcdDirectSource etcd = context.getBean(EtcdDirectSource.class);
			assertThat(etcd.configured(LAB)).isFalse();
			assertThat(etcd.status(LAB).error()).contains("configure cpdoctor.clusters[].etcd.endpoints");
			NetworkEvidenceSource network = context.getBean(NetworkEvidenceSource.class);
			assertThat(network.probes(LAB).readyz().outcome()).isEqualTo(Outcome.NOT_CALLED);
			assertThat(network.callHistory(LAB, HOUR).ok()).isFalse();
			assertThat(context.getBean(KnownKubernetesVersions.class).of(LAB)).isEmpty();
			assertThat(context.getBean(DefaultWindows.class).defaultWindow(LAB)).isEmpty();
		});
	}

	@Test
	void aRoutesSourcesAreClosedWithTheContext() {
		AtomicBoolean closed = new AtomicBoolean();
		this.runner.withBean(AtomicBoolean.class, () -> closed)
			.withUserConfiguration(CloseableWebhooks.class)
			.run((context) -> assertThat(closed).isFalse());
		assertThat(closed).isTrue();
	}

	static WebhookSource named(String name) {
		return new WebhookSource() {

			@Override
			public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
				return SourceResult.failed(name);
			}

			@Override
			public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
				return SourceResult.failed(name);
			}

		};
	}

	static AuditAnalytics failing(String form) {
		return new AuditAnalytics() {

			@Override
			public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
				return SourceResult.failed(form);
			}

			@Override
			public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin,
					int topN) {
				return SourceResult.failed(form);
			}

			@Override
			public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
					String userAgent) {
				return SourceResult.failed(form);
			}

		};
	}

	/** The fallback declared before the demo's route, as bean order may have it. */
	@Configuration(proxyBeanMethods = false)
	static class ApiserverFirst {

		@Bean
		ClusterRoute<WebhookSource> apiserverWebhooks() {
			return ClusterRoute.otherwise(named("the apiserver's webhooks"));
		}

		@Bean
		ClusterRoute<WebhookSource> demoWebhooks() {
			return ClusterRoute.when(Cluster::isDemo, named("the demo's webhooks"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkspaceAudit {

		@Bean
		ClusterRoute<AuditSources> workspaceAudit() {
			return ClusterRoute
				.byName(Map.of("prod-weu", new AuditSources(failing("corrected"), failing("documented"), null)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CloseableWebhooks {

		@Bean
		ClusterRoute<WebhookSource> closeableWebhooks(AtomicBoolean closed) {
			class Closeable implements WebhookSource, AutoCloseable {

				@Override
				public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
					return SourceResult.ok(List.of());
				}

				@Override
				public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
					return SourceResult.ok(List.of());
				}

				@Override
				public void close() {
					closed.set(true);
				}

			}
			return ClusterRoute.otherwise(new Closeable());
		}

	}

}
