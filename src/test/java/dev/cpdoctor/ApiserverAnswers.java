package dev.cpdoctor;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Status;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * How a stand-in Kubernetes apiserver answers, for the one-cluster stand-in of the source
 * tests and the several clusters of the guide's: JSON bodies as the Kubernetes client's
 * models serialised by the client's own {@link JSON} (so they have the shape the client
 * reads), failures as a Kubernetes Status, /version as v1.30.0 answers it.
 */
public final class ApiserverAnswers {

	/** /version of an apiserver v1.30.0, the release of the recorded /metrics scrape. */
	public static final String VERSION_JSON = """
			{"major":"1","minor":"30","gitVersion":"v1.30.0","gitCommit":"7c48c2bd72b9bf5c44d21d7338cc7bea77d0ad2a",
			 "gitTreeState":"clean","buildDate":"2024-04-17T17:27:03Z","goVersion":"go1.22.2","compiler":"gc",
			 "platform":"linux/arm64"}""";

	private ApiserverAnswers() {
	}

	/** A JSON answer with the HTTP status. */
	public static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	/** A 200 answer with the client's model, serialised by the client's JSON. */
	public static ResponseDefinitionBuilder model(Object model) {
		return json(200, JSON.serialize(model));
	}

	/**
	 * A Kubernetes Status of failure with the HTTP code, as the apiserver fails a call;
	 * reason and message may be null (then left out).
	 */
	public static ResponseDefinitionBuilder failure(int code, String reason, String message) {
		return json(code,
				JSON.serialize(new V1Status().apiVersion("v1")
					.kind("Status")
					.status("Failure")
					.reason(reason)
					.message(message)
					.code(code)));
	}

	/** The /version answer of a v1.30.0 apiserver. */
	public static ResponseDefinitionBuilder version() {
		return json(200, VERSION_JSON);
	}

}
