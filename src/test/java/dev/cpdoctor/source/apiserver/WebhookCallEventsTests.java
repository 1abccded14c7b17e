package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.CoreV1EventSeries;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.WebhookSource;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.cpdoctor.source.apiserver.WebhookModels.ok;
import static dev.cpdoctor.source.apiserver.WebhookModels.failed;
import static dev.cpdoctor.source.apiserver.WebhookModels.webhookSource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed webhook calls read from Warning events by the real Kubernetes client from a
 * local apiserver stand-in serving the client's own models.
 */
class WebhookCallEventsTests {

	static final String EVENTS = "/api/v1/events";

	static final OffsetDateTime NOW = OffsetDateTime.of(2026, 3, 2, 14, 0, 0, 0, ZoneOffset.UTC);

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster lab = ApiserverStandIn.LAB;

	private static CoreV1Event event(String namespace, String name, String reason, String message, Integer count,
			OffsetDateTime last) {
		return new CoreV1Event().metadata(new V1ObjectMeta().namespace(namespace).name(name + ".18a2b"))
			.involvedObject(new V1ObjectReference().kind("ReplicaSet").namespace(namespace).name(name))
			.type("Warning")
			.reason(reason)
			.message(message)
			.count(count)
			.lastTimestamp(last);
	}

	static String webhookFailure(String webhook) {
		return "Error creating: Internal error occurred: failed calling webhook \"" + webhook
				+ "\": failed to call webhook: Post \"https://kyverno-svc.kyverno.svc:443/mutate/fail?timeout=10s\":"
				+ " write tcp 10.244.0.1:48816->10.0.142.17:443: write: broken pipe";
	}

	@Test
	void warningEventsAreFilteredByThePhraseNewestFirstAcrossPages() {
		this.apiserver.serve(get(urlPathEqualTo(EVENTS)).withQueryParam("continue", absent()),
				new CoreV1EventList().metadata(new V1ListMeta()._continue("events-2"))
					.items(List.of(
							event("kyverno", "kyverno-admission-controller-6d8f9c7b5d", "FailedCreate",
									webhookFailure("mutate.kyverno.svc-fail"), 37, NOW.minusMinutes(2)),
							event("default", "web-7c9f", "BackOff", "Back-off restarting failed container", 80,
									NOW.minusMinutes(1)))));
		CoreV1Event series = event("kube-system", "coredns-5d78c9869d", "FailedCreate",
				webhookFailure("validate.kyverno.svc-fail"), null, null)
			.series(new CoreV1EventSeries().count(12).lastObservedTime(NOW.minusSeconds(30)));
		this.apiserver.serve(get(urlPathEqualTo(EVENTS)).withQueryParam("continue", equalTo("events-2")),
				new CoreV1EventList().metadata(new V1ListMeta())
					.items(List.of(series, event("apps", "api-6b7d", "FailedCreate",
							webhookFailure("mutate.kyverno.svc-fail"), 3, NOW.minusHours(3)))));

		List<WebhookCallFailure> failures = ok(
				webhookSource(this.apiserver, Duration.ofSeconds(5)).failedCalls(this.lab))
			.value();

		assertThat(failures).extracting(WebhookCallFailure::involvedObject)
			.containsExactly("ReplicaSet/coredns-5d78c9869d", "ReplicaSet/kyverno-admission-controller-6d8f9c7b5d",
					"ReplicaSet/api-6b7d");
		assertThat(failures.get(0)).isEqualTo(new WebhookCallFailure("kube-system", "ReplicaSet/coredns-5d78c9869d",
				"FailedCreate", webhookFailure("validate.kyverno.svc-fail"), 12, NOW.minusSeconds(30).toInstant()));
		assertThat(failures.get(1).count()).isEqualTo(37);
		assertThat(failures.get(1).webhook()).isEqualTo("mutate.kyverno.svc-fail");
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo(EVENTS)).withQueryParam("fieldSelector", equalTo("type=Warning"))
					.withQueryParam("limit", equalTo("250"))
					.withQueryParam("continue", absent()));
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo(EVENTS)).withQueryParam("fieldSelector", equalTo("type=Warning"))
					.withQueryParam("limit", equalTo("250"))
					.withQueryParam("continue", equalTo("events-2")));
	}

	@Test
	void onlyTheNewestFailedCallsAreKept() {
		List<CoreV1Event> events = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			events.add(event("ns" + i, "rs-" + i, "FailedCreate", webhookFailure("w" + i), 1, NOW.minusMinutes(i)));
		}
		this.apiserver.serve(get(urlPathEqualTo(EVENTS)),
				new CoreV1EventList().metadata(new V1ListMeta()).items(events));

		List<WebhookCallFailure> failures = ok(
				webhookSource(this.apiserver, Duration.ofSeconds(5)).failedCalls(this.lab))
			.value();

		assertThat(failures).hasSize(WebhookSource.MAX_FAILED_CALLS);
		assertThat(failures.get(0).namespace()).isEqualTo("ns0");
		assertThat(failures.get(WebhookSource.MAX_FAILED_CALLS - 1).namespace()).isEqualTo("ns19");
	}

	@Test
	void forbiddenEventsAreAFailureValue() {
		this.apiserver.status(get(urlPathEqualTo(EVENTS)), 403);
		assertThat(failed(webhookSource(this.apiserver, Duration.ofSeconds(5)).failedCalls(this.lab)))
			.isEqualTo("LIST Warning events answered HTTP 403 (forbidden: the identity lacks RBAC for it)");
	}

}
