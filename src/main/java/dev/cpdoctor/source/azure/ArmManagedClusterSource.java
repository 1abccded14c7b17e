package dev.cpdoctor.source.azure;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.Context;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import reactor.core.Exceptions;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.SourceResult;

/**
 * An AKS managed cluster resource read from Azure Resource Manager: {@code GET
 * {endpoint}/subscriptions/../resourceGroups/../providers/Microsoft.ContainerService/managedClusters/..?api-version=}{@value #API_VERSION},
 * through an azure-core pipeline (retries, the bearer token for {@value #SCOPE}). The
 * path is built from the parts of the validated {@link AksClusterId}, never from the
 * configured text itself. The whole call, retries included, is bounded by a timeout;
 * every failure is a value saying why. No caching here: see
 * CachingAksManagedClusterSource. RBAC: Microsoft.ContainerService/managedClusters/read
 * (the Reader role has it).
 */
public final class ArmManagedClusterSource implements AksManagedClusterSource {

	/**
	 * A stable (GA) version of the Microsoft.ContainerService API that returns sku.tier.
	 */
	static final String API_VERSION = "2024-09-01";

	static final String SCOPE = "https://management.azure.com/.default";

	/**
	 * Azure's tiers are single words (Free, Standard, Premium); anything else is not
	 * shown as one.
	 */
	private static final Pattern TIER = Pattern.compile("[A-Za-z]{1,32}");

	private static final int MAX_MESSAGE = 300;

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Resource(String id, String name, String type, Sku sku, Properties properties) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Sku(String name, String tier) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Properties(String provisioningState, String kubernetesVersion, String currentKubernetesVersion,
			PowerState powerState) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record PowerState(String code) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorBody(ErrorDetail error) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorDetail(String code, String message) {
	}

	private record Answer(int status, byte[] body) {
	}

	private final HttpPipeline pipeline;

	private final String endpoint;

	private final Map<String, String> resourceIds;

	private final Duration timeout;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * @param pipeline the azure-core pipeline (see AzureSources#managementPipeline)
	 * @param endpoint the Azure Resource Manager endpoint, e.g.
	 * https://management.azure.com
	 * @param resourceIds cpdoctor.clusters[].azure.resource-id per cluster name, as
	 * configured (validated here)
	 * @param timeout the whole call, retries included
	 */
	ArmManagedClusterSource(HttpPipeline pipeline, URI endpoint, Map<String, String> resourceIds, Duration timeout) {
		this.pipeline = pipeline;
		this.endpoint = endpoint.toString().replaceFirst("/+$", "");
		this.resourceIds = Map.copyOf(resourceIds);
		this.timeout = timeout;
	}

	@Override
	public SourceResult<AksManagedCluster> managedCluster(Cluster cluster) {
		String resourceId = this.resourceIds.get(cluster.name());
		if (resourceId == null || resourceId.isBlank()) {
			return SourceResult.failed("no Azure resource id: set cpdoctor.clusters[].azure.resource-id to read it");
		}
		Optional<AksClusterId> id = AksClusterId.fromResourceId(resourceId);
		if (id.isEmpty()) {
			return SourceResult
				.failed("cpdoctor.clusters[].azure.resource-id is not a valid managed cluster resource id"
						+ " (/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>)");
		}
		Answer answer;
		try {
			answer = call(url(id.get()));
		}
		catch (RuntimeException ex) {
			Throwable cause = Exceptions.unwrap(ex);
			if (cause instanceof TimeoutException) {
				return SourceResult
					.failed("Azure Resource Manager did not answer within " + ((this.timeout.toMillis() % 1000 == 0)
							? this.timeout.toSeconds() + " s" : this.timeout.toMillis() + " ms"));
			}
			return SourceResult.failed("Azure Resource Manager could not be asked: " + cause.getClass().getSimpleName()
					+ ": " + message(cause.getMessage()));
		}
		if (answer.status() != 200) {
			return SourceResult.failed(failure(answer, id.get()));
		}
		return parse(answer.body());
	}

	/**
	 * The resource's URL from validated parts only: none of them can hold '/', '?', '#'
	 * or '%'.
	 */
	String url(AksClusterId id) {
		return this.endpoint + "/subscriptions/" + id.subscription() + "/resourceGroups/" + id.resourceGroup()
				+ "/providers/Microsoft.ContainerService/managedClusters/" + id.name() + "?api-version=" + API_VERSION;
	}

	private Answer call(String url) {
		HttpRequest request = new HttpRequest(HttpMethod.GET, url).setHeader(HttpHeaderName.ACCEPT, "application/json");
		return this.pipeline.send(request, Context.NONE)
			.flatMap((response) -> response.getBody()
				.reduce(new ByteArrayOutputStream(), ArmManagedClusterSource::append)
				.map((body) -> new Answer(response.getStatusCode(), body.toByteArray()))
				.doFinally((signal) -> response.close()))
			.timeout(this.timeout)
			.block();
	}

	/**
	 * The most of an answer read: a managed cluster's JSON is a few KB; a proxy or a
	 * wrong endpoint answering with megabytes is refused rather than held.
	 */
	static final int MAX_BODY = 1024 * 1024;

	private static ByteArrayOutputStream append(ByteArrayOutputStream body, ByteBuffer part) {
		if (body.size() + part.remaining() > MAX_BODY) {
			throw new IllegalStateException(
					"the answer is larger than " + (MAX_BODY / 1024) + " KiB, not a managed cluster");
		}
		byte[] bytes = new byte[part.remaining()];
		part.get(bytes);
		body.write(bytes, 0, bytes.length);
		return body;
	}

	private SourceResult<AksManagedCluster> parse(byte[] body) {
		Resource resource;
		try {
			resource = this.json.readValue(body, Resource.class);
		}
		catch (JacksonException ex) {
			return SourceResult.failed("Azure Resource Manager answered 200 with no managed cluster JSON: "
					+ message(ex.getOriginalMessage()));
		}
		if (resource == null || resource.sku() == null || resource.sku().tier() == null) {
			return SourceResult.failed("Azure Resource Manager's managed cluster has no sku.tier");
		}
		if (!TIER.matcher(resource.sku().tier()).matches()) {
			return SourceResult.failed("Azure Resource Manager's managed cluster has an unexpected sku.tier");
		}
		Properties properties = (resource.properties() != null) ? resource.properties()
				: new Properties(null, null, null, null);
		return SourceResult.ok(new AksManagedCluster(resource.sku().tier(), properties.kubernetesVersion(),
				properties.currentKubernetesVersion(), properties.provisioningState(),
				(properties.powerState() != null) ? properties.powerState().code() : null));
	}

	private String failure(Answer answer, AksClusterId id) {
		String code = null;
		String message = null;
		try {
			ErrorBody error = this.json.readValue(answer.body(), ErrorBody.class);
			if (error != null && error.error() != null) {
				code = error.error().code();
				message = error.error().message();
			}
		}
		catch (JacksonException ex) {
			// not ARM's error JSON (a proxy's page): the status says enough
		}
		String why = switch (answer.status()) {
			case 401 -> " (the token was refused: check cpdoctor.azure.credential and its tenant)";
			case 403 ->
				" (the identity needs Microsoft.ContainerService/managedClusters/read on the cluster, e.g. the Reader role)";
			case 404 -> " (no managed cluster " + id.name() + " in resource group " + id.resourceGroup()
					+ " of subscription " + id.subscription() + ": check cpdoctor.clusters[].azure.resource-id)";
			default -> "";
		};
		return "Azure Resource Manager: HTTP " + answer.status() + ((code != null) ? " " + message(code) : "") + why
				+ ((message != null) ? ": " + message(message) : "");
	}

	/** An outside message fit for a panel: its first line, at most 300 characters. */
	private static String message(String text) {
		String line = SourceResult.firstLine(text);
		return (line.length() > MAX_MESSAGE) ? line.substring(0, MAX_MESSAGE) + "..." : line;
	}

}
