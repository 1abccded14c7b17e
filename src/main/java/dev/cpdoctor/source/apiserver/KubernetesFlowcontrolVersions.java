package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.SourceResult;

/**
 * One GET /apis/flowcontrol.apiserver.k8s.io (API group discovery, a few hundred bytes)
 * through the cluster's ApiClient: its credentials, our user agent, and the whole call
 * bounded by the timeout. The APIGroup is read leniently (only versions[].version), as
 * the client's own model refuses any field it does not know. 404 means the apiserver does
 * not serve the group.
 */
final class KubernetesFlowcontrolVersions implements FlowcontrolVersions {

	static final String PATH = "/apis/flowcontrol.apiserver.k8s.io";

	/** A discovery answer is tiny; anything bigger is not one. */
	static final int MAX_BODY = 64 * 1024;

	/** What an API version looks like; other text from the server is not passed on. */
	private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}((alpha|beta)[0-9]{1,3})?");

	private final KubernetesApiClients clients;

	private final Duration timeout;

	private final Predicate<Cluster> mayCall;

	/**
	 * @param mayCall whether this cluster's apiserver may be called at all (the same rule
	 * as for scraping: not the merely discovered kubeconfig context unless configured to)
	 */
	KubernetesFlowcontrolVersions(KubernetesApiClients clients, Duration timeout, Predicate<Cluster> mayCall) {
		this.clients = clients;
		this.timeout = timeout;
		this.mayCall = mayCall;
	}

	@Override
	public SourceResult<List<String>> served(Cluster cluster) {
		if (cluster.access().mode() == KubeAccess.Mode.NONE) {
			return SourceResult.failed("the cluster has no apiserver access");
		}
		if (!this.mayCall.test(cluster)) {
			return SourceResult.failed("the apiserver of a merely discovered kubeconfig context is not called"
					+ " (cpdoctor.apiserver.scrape-discovered-context)");
		}
		KubernetesApiClients.Entry entry;
		try {
			entry = this.clients.clientFor(cluster);
		}
		catch (IOException | RuntimeException ex) {
			return SourceResult.failed("cannot set up a client for " + cluster.access().describe() + ": "
					+ SourceResult.firstLine(ex.getMessage()));
		}
		ApiClient client = entry.client();
		try {
			// Mutable collections: the client adds the Authorization header to them.
			Map<String, String> headers = new HashMap<>(Map.of("Accept", "application/json"));
			Call call = client.buildCall(client.getBasePath(), PATH, "GET", new ArrayList<>(), new ArrayList<>(), null,
					headers, new HashMap<>(), new HashMap<>(), new String[] { "BearerToken" }, null);
			call.timeout().timeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			try (Response response = call.execute()) {
				if (response.code() == 404) {
					return SourceResult.ok(List.of());
				}
				if (!response.isSuccessful()) {
					if (response.code() == 401) {
						this.clients.forget(cluster);
					}
					return SourceResult.failed("GET " + PATH + " answered HTTP " + response.code());
				}
				try (ResponseBody body = response.body(); InputStream in = body.byteStream()) {
					byte[] bytes = in.readNBytes(MAX_BODY + 1);
					if (bytes.length > MAX_BODY) {
						return SourceResult
							.failed("GET " + PATH + " answered more than " + MAX_BODY + " bytes: not an APIGroup");
					}
					return versions(new String(bytes, StandardCharsets.UTF_8));
				}
			}
		}
		catch (InterruptedIOException ex) {
			return SourceResult.failed("GET " + PATH + " timed out after " + this.timeout);
		}
		catch (IOException | ApiException | RuntimeException ex) {
			return SourceResult.failed("GET " + PATH + " failed: " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * versions[].version of an APIGroup of flowcontrol.apiserver.k8s.io, the server's
	 * order kept.
	 */
	static SourceResult<List<String>> versions(String json) {
		JsonObject group;
		try {
			JsonElement parsed = JsonParser.parseString(json);
			if (!parsed.isJsonObject()) {
				return notAnApiGroup();
			}
			group = parsed.getAsJsonObject();
		}
		catch (JsonParseException ex) {
			return notAnApiGroup();
		}
		if (!isString(group, "name", "flowcontrol.apiserver.k8s.io") || !group.has("versions")
				|| !group.get("versions").isJsonArray()) {
			return notAnApiGroup();
		}
		List<String> versions = new ArrayList<>();
		for (JsonElement item : group.getAsJsonArray("versions")) {
			JsonElement version = item.isJsonObject() ? item.getAsJsonObject().get("version") : null;
			if (version != null && version.isJsonPrimitive() && version.getAsJsonPrimitive().isString()
					&& VERSION.matcher(version.getAsString()).matches() && !versions.contains(version.getAsString())) {
				versions.add(version.getAsString());
			}
		}
		return SourceResult.ok(versions);
	}

	private static boolean isString(JsonObject object, String member, String expected) {
		JsonElement value = object.get(member);
		return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
				&& value.getAsString().equals(expected);
	}

	private static SourceResult<List<String>> notAnApiGroup() {
		return SourceResult.failed("GET " + PATH + " did not answer an APIGroup of flowcontrol.apiserver.k8s.io"
				+ " (a proxy or login page?)");
	}

}
