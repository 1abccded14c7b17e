package dev.cpdoctor.source.apiserver;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.ApiserverProbeSource;
import dev.cpdoctor.history.CallRecorder;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.WebhookSource;

/**
 * Builds the apiserver sources: the wiring entry point for configuration. The sources
 * built by one instance share one ApiClient per cluster (one credential plugin run, one
 * /version call).
 */
public final class ApiserverSources {

	private final KubernetesApiClients clients;

	private final ApiserverProperties properties;

	private final Clock clock;

	/** Sources whose calls are not recorded. */
	public ApiserverSources(List<Path> kubeconfigFiles, ApiserverProperties properties, String userAgent, Clock clock) {
		this(kubeconfigFiles, properties, userAgent, CallRecorder.NONE, clock);
	}

	/**
	 * @param kubeconfigFiles where kubeconfig contexts are looked up
	 * @param userAgent how the dashboard names itself in the apiserver's audit log
	 * @param recorder told of every call any of these sources makes to an apiserver, as
	 * it ends
	 */
	public ApiserverSources(List<Path> kubeconfigFiles, ApiserverProperties properties, String userAgent,
			CallRecorder recorder, Clock clock) {
		this.clients = new KubernetesApiClients(kubeconfigFiles, properties, userAgent, recorder, clock);
		this.properties = properties;
		this.clock = clock;
	}

	/** A scraper with clients of its own. */
	public static KubernetesMetricsScraper scraper(List<Path> kubeconfigFiles, ApiserverProperties properties,
			String userAgent, Clock clock) {
		return new ApiserverSources(kubeconfigFiles, properties, userAgent, clock).scraper();
	}

	public KubernetesMetricsScraper scraper() {
		return new KubernetesMetricsScraper(this.clients, this.properties.timeout(), this.clock);
	}

	/**
	 * API discovery of the flowcontrol group, each call bounded by the timeout.
	 * @param mayCall whether a cluster's apiserver may be called (those the scraper would
	 * scrape)
	 */
	public FlowcontrolVersions flowcontrolVersions(Predicate<Cluster> mayCall) {
		return new KubernetesFlowcontrolVersions(this.clients, this.properties.timeout(), mayCall);
	}

	/**
	 * Admission webhooks, their services' ready endpoints and failed webhook calls, read
	 * on demand (wrap it in a cache): each call bounded by the timeout, all calls of one
	 * question by three times it.
	 * @param mayCall whether a cluster's apiserver may be called (those the scraper would
	 * scrape)
	 */
	public WebhookSource webhooks(Predicate<Cluster> mayCall) {
		return new KubernetesWebhookSource(this.clients, this.properties.timeout(),
				this.properties.timeout().multipliedBy(3), mayCall);
	}

	/**
	 * Whether the AKS guard FlowSchema exists, from a paginated LIST of FlowSchemas in
	 * the version discovery says the cluster serves (wrap it in
	 * {@link dev.cpdoctor.source.CachingAksGuardSource}): each call bounded by the
	 * timeout, all pages by three times it.
	 * @param versions the (cached) API discovery of the flowcontrol group
	 * @param mayCall whether a cluster's apiserver may be called (those the scraper would
	 * scrape)
	 */
	public AksGuardSource aksGuard(FlowcontrolVersions versions, Predicate<Cluster> mayCall) {
		return new KubernetesAksGuardSource(this.clients, versions, this.properties.timeout(),
				this.properties.timeout().multipliedBy(3), mayCall);
	}

	/**
	 * /readyz?verbose and /livez?verbose, each call bounded by the timeout; asked every
	 * time (wrap it in {@link dev.cpdoctor.source.CachingApiserverProbes}).
	 * @param mayCall whether a cluster's apiserver may be called (those the scraper would
	 * scrape)
	 */
	public ApiserverProbeSource probes(Predicate<Cluster> mayCall) {
		return new KubernetesApiserverProbes(this.clients, this.properties.timeout(), mayCall, this.clock);
	}

}
