package dev.cpdoctor.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.MetricsUpload;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;

/**
 * Hand-written fakes of the source interfaces behind the controllers, for the web slices
 * ({@link AbstractWebSliceTests}): each answers what a test put in for a cluster, and
 * otherwise fails as a value, as a cluster without that source does. Cleared before each
 * test.
 */
final class FakeSources {

	/** One answer per cluster name; the fallback for a cluster the test set none for. */
	static final class Answers<T> {

		private final Map<String, T> answers = new ConcurrentHashMap<>();

		private final Function<Cluster, T> otherwise;

		Answers(Function<Cluster, T> otherwise) {
			this.otherwise = otherwise;
		}

		void put(String cluster, T answer) {
			this.answers.put(cluster, answer);
		}

		T of(Cluster cluster) {
			T answer = this.answers.get(cluster.name());
			return (answer != null) ? answer : this.otherwise.apply(cluster);
		}

		void clear() {
			this.answers.clear();
		}

	}

	final FakeEtcd etcd = new FakeEtcd();

	final Answers<SourceResult<List<UserAgentRequests>>> topUserAgents = failing("audit source");

	final Answers<SourceResult<List<UserAgentLatency>>> latency = failing("audit source");

	final Answers<SourceResult<List<VerbResourceLatency>>> p99 = failing("audit source");

	final Answers<SourceResult<List<AdmissionWebhook>>> webhooks = failing("webhook source");

	final Answers<SourceResult<List<WebhookCallFailure>>> failedCalls = failing("webhook source");

	final Answers<SourceResult<PlatformEtcdUsage.Usage>> platform = failing("platform etcd usage metric");

	final Answers<SourceResult<NetworkEvidence.Probes>> probes = failing("network probes");

	final Answers<SourceResult<AksGuardSource.Guard>> aksGuard = failing("AKS guard");

	final Answers<SourceResult<AksManagedCluster>> managedClusters = failing("managed cluster resource");

	final Answers<SourceResult<List<String>>> flowcontrol = failing("API discovery");

	final Answers<Optional<KubernetesVersion>> versions = new Answers<>((cluster) -> Optional.empty());

	final FakeUploads uploads = new FakeUploads();

	final FakeIntake intake = new FakeIntake();

	void clear() {
		this.etcd.clear();
		for (Answers<?> answers : List.of(this.topUserAgents, this.latency, this.p99, this.webhooks, this.failedCalls,
				this.platform, this.probes, this.aksGuard, this.managedClusters, this.flowcontrol, this.versions)) {
			answers.clear();
		}
		this.uploads.clear();
		this.intake.clear();
	}

	AuditAnalytics audit() {
		return new AuditAnalytics() {

			@Override
			public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
				return FakeSources.this.topUserAgents.of(cluster);
			}

			@Override
			public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin,
					int topN) {
				return FakeSources.this.latency.of(cluster);
			}

			@Override
			public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
					String userAgent) {
				return FakeSources.this.p99.of(cluster);
			}

		};
	}

	WebhookSource webhookSource() {
		return new WebhookSource() {

			@Override
			public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
				return FakeSources.this.webhooks.of(cluster);
			}

			@Override
			public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
				return FakeSources.this.failedCalls.of(cluster);
			}

		};
	}

	private static <T> Answers<SourceResult<T>> failing(String what) {
		return new Answers<>((cluster) -> SourceResult.failed("No " + what + " for cluster '" + cluster.name() + "'"));
	}

	/**
	 * Takes every upload it is given, answering with what the test set (default: stored
	 * nothing).
	 */
	static final class FakeUploads implements MetricsUpload {

		volatile Upload answer;

		volatile String cluster;

		volatile Instant at;

		volatile String body;

		@Override
		public Upload upload(String cluster, Instant at, InputStream body) throws IOException {
			this.cluster = cluster;
			this.at = at;
			this.body = new String(body.readAllBytes(), StandardCharsets.UTF_8);
			return (this.answer != null) ? this.answer : new Upload.Refused(Refusal.INVALID, "no answer set");
		}

		void clear() {
			this.answer = null;
			this.cluster = null;
			this.at = null;
			this.body = null;
		}

	}

	/** Takes every audit batch it is given, answering with what the test set. */
	static final class FakeIntake implements AuditIntake {

		volatile Delivery answer;

		volatile String cluster;

		volatile String bearerToken;

		volatile String body;

		/**
		 * The data-quality panels, per cluster: none for a cluster the test set none for.
		 */
		final Map<String, SourceResult<AuditDataQuality>> qualities = new ConcurrentHashMap<>();

		@Override
		public Delivery deliver(String cluster, String bearerToken, long declaredLength, InputStream body)
				throws IOException {
			this.cluster = cluster;
			this.bearerToken = bearerToken;
			this.body = new String(body.readAllBytes(), StandardCharsets.UTF_8);
			return (this.answer != null) ? this.answer : new Delivery.Refused(Refusal.UNAUTHORIZED, "no answer set");
		}

		@Override
		public Optional<SourceResult<AuditDataQuality>> quality(String cluster) {
			return Optional.ofNullable(this.qualities.get(cluster));
		}

		void clear() {
			this.qualities.clear();
			this.answer = null;
			this.cluster = null;
			this.bearerToken = null;
			this.body = null;
		}

	}

}
