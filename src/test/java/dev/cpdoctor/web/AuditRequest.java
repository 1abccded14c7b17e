package dev.cpdoctor.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One request as the apiserver's audit backends record it (stage ResponseComplete), for
 * the guide's audit data: a client's traffic, sent as the webhook backend's EventList or
 * the log backend's JSON lines.
 */
record AuditRequest(String userAgent, String username, String verb, String resource, String apiGroup, Instant received,
		double latencyMs) {

	String json() {
		String group = this.apiGroup.isEmpty() ? "/api/v1" : "/apis/" + this.apiGroup + "/v1";
		String uri = group + ("list".equals(this.verb) ? "/" + this.resource + "?limit=500"
				: "/namespaces/acme/" + this.resource + "/item-1");
		Instant completed = this.received.plusNanos(Math.round(this.latencyMs * 1_000_000));
		String id = UUID
			.nameUUIDFromBytes((this.userAgent + this.verb + this.received).getBytes(StandardCharsets.UTF_8))
			.toString();
		return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + id
				+ "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"" + uri + "\",\"verb\":\"" + this.verb
				+ "\",\"user\":{\"username\":\"" + this.username + "\",\"groups\":[\"system:authenticated\"]},"
				+ "\"sourceIPs\":[\"10.224.0.17\"],\"userAgent\":\"" + this.userAgent
				+ "\",\"objectRef\":{\"resource\":\"" + this.resource + "\","
				+ ("list".equals(this.verb) ? "" : "\"namespace\":\"acme\",\"name\":\"item-1\",") + "\"apiGroup\":\""
				+ this.apiGroup + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},"
				+ "\"requestReceivedTimestamp\":\"" + this.received + "\",\"stageTimestamp\":\"" + completed
				+ "\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}";
	}

	/**
	 * count requests of one client spread evenly over spread from start, latencies evenly
	 * from minMs to maxMs (so the P99 is known: just under maxMs).
	 */
	static List<AuditRequest> traffic(String userAgent, String username, String verb, String resource, String apiGroup,
			int count, Instant start, Duration spread, double minMs, double maxMs) {
		List<AuditRequest> requests = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			double latency = (count == 1) ? maxMs : minMs + (maxMs - minMs) * i / (count - 1);
			requests.add(new AuditRequest(userAgent, username, verb, resource, apiGroup,
					start.plusMillis(spread.toMillis() * i / count), Math.round(latency * 1000) / 1000.0));
		}
		return requests;
	}

	/** An audit.k8s.io/v1 EventList, as the webhook backend POSTs a batch. */
	static String eventList(List<AuditRequest> requests) {
		return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
				+ String.join(",", requests.stream().map(AuditRequest::json).toList()) + "]}";
	}

	/** JSON lines, as the log backend writes --audit-log-path. */
	static String jsonLines(List<AuditRequest> requests) {
		StringBuilder lines = new StringBuilder();
		requests.forEach((r) -> lines.append(r.json()).append('\n'));
		return lines.toString();
	}

}
