package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;

import com.google.gson.Gson;
import com.google.gson.JsonIOException;
import com.google.gson.JsonParseException;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;

/**
 * One question's calls to one cluster's apiserver: its client and the deadline they
 * share. Each call is bounded by the timeout and by what is left of the budget; an answer
 * is read leniently into the client's models (unknown fields ignored, because the
 * generated models refuse any field they do not know and a newer apiserver than the
 * client's release would otherwise make the whole read fail). A call that gives no answer
 * ends in {@link CallFailed}, whose message is fit for a panel.
 */
final class ApiserverCalls {

	/**
	 * The client's models and date format, without the validation that refuses unknown
	 * fields.
	 */
	private static final Gson MODELS = JSON.createGson()
		.registerTypeAdapter(OffsetDateTime.class, new JSON.OffsetDateTimeTypeAdapter())
		.create();

	/**
	 * How the calls of one kind of question are bounded and what a 403 means for them.
	 */
	record Bounds(Duration timeout, Duration budget, String lacksRbac) {
	}

	private final KubernetesApiClients clients;

	private final Cluster cluster;

	private final ApiClient client;

	private final Bounds bounds;

	private final long deadline;

	/**
	 * How the calls of one kind of question are bounded. A source asks for them when it
	 * is built, which loads the client's models then (the client's JSON loads every model
	 * class: seconds on a busy machine) and not within the bounds of the first question.
	 */
	static Bounds bounds(Duration timeout, Duration budget, String lacksRbac) {
		return new Bounds(timeout, budget, lacksRbac);
	}

	private ApiserverCalls(KubernetesApiClients clients, Cluster cluster, ApiClient client, Bounds bounds,
			long deadline) {
		this.clients = clients;
		this.cluster = cluster;
		this.client = client;
		this.bounds = bounds;
		this.deadline = deadline;
	}

	/**
	 * The calls of one question to a cluster, the budget counted from now (the client's
	 * set-up included); a failure when no client can be set up.
	 */
	static SourceResult<ApiserverCalls> open(KubernetesApiClients clients, Cluster cluster, Bounds bounds) {
		long deadline = System.nanoTime() + bounds.budget().toNanos();
		try {
			return SourceResult
				.ok(new ApiserverCalls(clients, cluster, clients.clientFor(cluster).client(), bounds, deadline));
		}
		catch (IOException | RuntimeException ex) {
			return SourceResult.failed("cannot set up a client for " + cluster.access().describe() + ": "
					+ SourceResult.firstLine(ex.getMessage()));
		}
	}

	ApiClient client() {
		return this.client;
	}

	/**
	 * The answer to one call read as the given model; past the budget the call is not
	 * made.
	 */
	<T> T get(String what, Call call, Class<T> type) throws CallFailed {
		long remaining = this.deadline - System.nanoTime();
		if (remaining <= 0) {
			call.cancel();
			throw new CallFailed(
					what + " not asked: the apiserver was already asked for longer than " + this.bounds.budget());
		}
		long limit = Math.min(this.bounds.timeout().toNanos(), remaining);
		call.timeout().timeout(limit, TimeUnit.NANOSECONDS);
		try (Response response = call.execute()) {
			return read(what, response, type);
		}
		catch (InterruptedIOException ex) {
			throw timedOut(what, limit);
		}
		catch (JsonIOException ex) {
			if (ex.getCause() instanceof InterruptedIOException) {
				throw timedOut(what, limit);
			}
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new CallFailed(what + " failed while reading: " + cause.getClass().getSimpleName());
		}
		catch (JsonParseException | IllegalStateException ex) {
			throw new CallFailed(what + " did not answer Kubernetes JSON (a proxy or login page?)");
		}
		catch (IOException | RuntimeException ex) {
			throw new CallFailed(what + " failed: " + ex.getClass().getSimpleName());
		}
	}

	private <T> T read(String what, Response response, Class<T> type) throws CallFailed {
		if (!response.isSuccessful()) {
			if (response.code() == 401) {
				this.clients.forget(this.cluster);
			}
			throw new CallFailed(what + " answered HTTP " + response.code() + ((response.code() == 403)
					? " (forbidden: the identity lacks RBAC " + this.bounds.lacksRbac() + ")" : ""));
		}
		ResponseBody body = response.body();
		T value = (body != null) ? MODELS.fromJson(body.charStream(), type) : null;
		if (value == null) {
			throw new CallFailed(what + " answered no body");
		}
		return value;
	}

	private static CallFailed timedOut(String what, long limitNanos) {
		return new CallFailed(
				what + " timed out after " + Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(limitNanos)));
	}

	/** Why a call gave no answer, fit for a panel. */
	static final class CallFailed extends Exception {

		CallFailed(String reason) {
			super(reason, null, false, false);
		}

	}

}
