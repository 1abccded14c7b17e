package dev.cpdoctor.source.apiserver;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1ObjectReference;

import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.source.apiserver.ApiserverCalls.CallFailed;

import static dev.cpdoctor.source.apiserver.ModelValues.orEmpty;

/**
 * Failed webhook calls, from the cluster's Warning events that say "failed calling
 * webhook". RBAC: list events.
 */
final class WebhookCallEvents {

	/**
	 * Warning events are many in an incident and small: larger pages, fewer round trips.
	 */
	static final int EVENT_PAGE = 250;

	/** At most 10,000 Warning events are searched for failed webhook calls. */
	static final int MAX_EVENT_PAGES = 40;

	private WebhookCallEvents() {
	}

	/** The newest {@link WebhookSource#MAX_FAILED_CALLS} failed calls, newest first. */
	static List<WebhookCallFailure> newest(ApiserverCalls calls, List<String> warnings) throws CallFailed {
		CoreV1Api core = new CoreV1Api(calls.client());
		List<WebhookCallFailure> failures = new ArrayList<>();
		new PagedList<>("LIST Warning events", EVENT_PAGE, MAX_EVENT_PAGES,
				(limit, token) -> core.listEventForAllNamespaces()
					.fieldSelector("type=Warning")
					.limit(limit)
					._continue(token)
					.buildCall(null),
				CoreV1EventList.class, CoreV1EventList::getMetadata)
			.readAll(calls, CoreV1EventList::getItems, (event) -> {
				if (WebhookCallFailure.isAbout(event.getMessage())) {
					failures.add(failure(event));
				}
			}, warnings);
		return failures.stream()
			.sorted(Comparator.comparing(WebhookCallFailure::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())))
			.limit(WebhookSource.MAX_FAILED_CALLS)
			.toList();
	}

	private static WebhookCallFailure failure(CoreV1Event event) {
		V1ObjectReference object = event.getInvolvedObject();
		String involved = (object != null) ? orEmpty(object.getKind()) + "/" + orEmpty(object.getName()) : "";
		String namespace = (event.getMetadata() != null) ? event.getMetadata().getNamespace() : null;
		int count = (event.getSeries() != null && event.getSeries().getCount() != null) ? event.getSeries().getCount()
				: (event.getCount() != null) ? event.getCount() : 1;
		return new WebhookCallFailure(namespace, involved, event.getReason(), event.getMessage(), count,
				lastSeen(event));
	}

	/**
	 * The newest time an event carries: its series', its last timestamp, its event time,
	 * its creation.
	 */
	private static Instant lastSeen(CoreV1Event event) {
		OffsetDateTime at = (event.getSeries() != null) ? event.getSeries().getLastObservedTime() : null;
		at = (at != null) ? at : event.getLastTimestamp();
		at = (at != null) ? at : event.getEventTime();
		at = (at != null || event.getMetadata() == null) ? at : event.getMetadata().getCreationTimestamp();
		return (at != null) ? at.toInstant() : null;
	}

}
