package dev.cpdoctor.bench;

import dev.cpdoctor.bench.AuditLogModel.Resource;
import dev.cpdoctor.bench.AuditLogModel.Verb;

import static dev.cpdoctor.bench.AuditLogGenerator.ascii;
import static dev.cpdoctor.bench.AuditLogRequest.RECEIVED;
import static dev.cpdoctor.bench.AuditLogRequest.STARTED;

/**
 * One stage of a request as the apiserver's log backend writes it: an audit.k8s.io/v1
 * Event at level Metadata on one JSON line, put together from pre-encoded pieces.
 */
final class AuditLogEvent {

	private static final byte[] EVENT_HEAD = ascii(
			"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"");

	private static final byte[] STAGE_RECEIVED = ascii("\",\"stage\":\"RequestReceived\"");

	private static final byte[] STAGE_STARTED = ascii("\",\"stage\":\"ResponseStarted\"");

	private static final byte[] STAGE_COMPLETE = ascii("\",\"stage\":\"ResponseComplete\"");

	private static final byte[] REQUEST_URI = ascii(",\"requestURI\":\"");

	private static final byte[] NAMESPACES_PATH = ascii("/namespaces/");

	private static final byte[] LIST_QUERY = ascii("?limit=500&resourceVersion=0");

	private static final byte[] LIST_QUERY_SELECTOR = ascii(
			"?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dhelm&limit=500");

	private static final byte[] WATCH_QUERY_RV = ascii("?allowWatchBookmarks=true&resourceVersion=");

	private static final byte[] WATCH_QUERY_TIMEOUT = ascii("&timeout=");

	private static final byte[] WATCH_QUERY_SECONDS = ascii("s&timeoutSeconds=");

	private static final byte[] WATCH_QUERY_TAIL = ascii("&watch=true");

	private static final byte[] EXEC_QUERY = ascii(
			"?command=%2Fbin%2Fsh&container=app&stdin=true&stdout=true&tty=true");

	private static final byte[] LOG_QUERY = ascii("?container=app&follow=true&tailLines=100");

	private static final byte[] TIMEOUT_QUERY = ascii("?timeout=10s");

	private static final byte[] VERB = ascii("\"verb\":\"");

	private static final byte[] QUOTE_COMMA = ascii("\",");

	private static final byte[] NAMESPACE_FIELD = ascii(",\"namespace\":\"");

	private static final byte[] NAME_FIELD = ascii(",\"name\":\"");

	private static final byte[] STATUS_OK = ascii(",\"responseStatus\":{\"metadata\":{},\"code\":");

	private static final byte[] STATUS_FAILURE = ascii(
			",\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\",\"message\":\"");

	private static final byte[] ESCAPED_SPACE_QUOTE = ascii(" \\\"");

	private static final byte[] NOT_FOUND = ascii("\\\" not found\",\"reason\":\"NotFound\",\"code\":");

	private static final byte[] CONFLICT_HEAD = ascii("Operation cannot be fulfilled on ");

	private static final byte[] CONFLICT_TAIL = ascii(
			"\\\": the object has been modified; please apply your changes to the "
					+ "latest version and try again\",\"reason\":\"Conflict\",\"code\":");

	private static final byte[] TOO_MANY = ascii(
			"Too many requests, please try again later.\",\"reason\":\"TooManyRequests\","
					+ "\"details\":{\"retryAfterSeconds\":1},\"code\":");

	private static final byte[] INTERNAL = ascii(
			"etcdserver: request timed out\",\"reason\":\"InternalError\",\"code\":");

	private static final byte[] RECEIVED_TS = ascii(",\"requestReceivedTimestamp\":\"");

	private static final byte[] STAGE_TS = ascii("\",\"stageTimestamp\":\"");

	private static final byte[] EVENT_TAIL = ascii("}\n");

	private AuditLogEvent() {
	}

	/**
	 * Writes the request's current stage (its {@code stage}) into the line, from its
	 * start; returns the stage's time in microseconds since the epoch.
	 */
	static long render(AuditLogLine l, AuditLogRequest r) {
		l.reset();
		l.put(EVENT_HEAD);
		l.uuid(r.hi, r.lo);
		l.put((r.stage == RECEIVED) ? STAGE_RECEIVED : (r.stage == STARTED) ? STAGE_STARTED : STAGE_COMPLETE);
		requestUri(l, r);
		l.put(VERB);
		l.put(r.op.verb().json);
		l.put(QUOTE_COMMA);
		l.put(r.identity.json());
		objectRef(l, r);
		if (r.stage != RECEIVED) {
			responseStatus(l, r);
		}
		l.put(RECEIVED_TS);
		l.timestamp(r.received);
		l.put(STAGE_TS);
		long stageTime = (r.stage == RECEIVED) ? r.received : (r.stage == STARTED) ? r.started : r.complete;
		l.timestamp(stageTime);
		l.put((byte) '"');
		if (r.stage != RECEIVED) {
			l.put(r.agent.annotations);
		}
		l.put(EVENT_TAIL);
		return stageTime;
	}

	private static void requestUri(AuditLogLine l, AuditLogRequest r) {
		Resource res = r.op.resource();
		Verb verb = r.op.verb();
		l.put(REQUEST_URI);
		l.put(res.pathBase());
		if (r.namespace != null) {
			l.put(NAMESPACES_PATH);
			l.put(r.namespace);
		}
		l.put((byte) '/');
		l.put(res.plural());
		boolean named = verb != Verb.LIST && verb != Verb.WATCH
				&& !(verb == Verb.CREATE && res.subresourcePath().length == 0);
		if (named) {
			l.put((byte) '/');
			l.put(r.name);
			l.put(res.subresourcePath());
		}
		switch (verb) {
			case LIST -> l.put((r.seq & 1) == 0 ? LIST_QUERY : LIST_QUERY_SELECTOR);
			case WATCH -> {
				l.put(WATCH_QUERY_RV);
				l.number(r.resourceVersion);
				l.put(WATCH_QUERY_TIMEOUT);
				l.number(r.watchSeconds / 60);
				l.put((byte) 'm');
				l.number(r.watchSeconds % 60);
				l.put(WATCH_QUERY_SECONDS);
				l.number(r.watchSeconds);
				l.put(WATCH_QUERY_TAIL);
			}
			default -> {
				if (res.key().equals("pods/exec")) {
					l.put(EXEC_QUERY);
				}
				else if (res.key().equals("pods/log")) {
					l.put(LOG_QUERY);
				}
				else if (res.key().startsWith("leases")) {
					l.put(TIMEOUT_QUERY);
				}
			}
		}
		l.put(QUOTE_COMMA);
	}

	private static void objectRef(AuditLogLine l, AuditLogRequest r) {
		Resource res = r.op.resource();
		l.put(res.objectRefHead());
		if (r.namespace != null) {
			l.put(NAMESPACE_FIELD);
			l.put(r.namespace);
			l.put((byte) '"');
		}
		Verb verb = r.op.verb();
		if (verb != Verb.LIST && verb != Verb.WATCH) {
			l.put(NAME_FIELD);
			l.put(r.name);
			l.put((byte) '"');
		}
		l.put(res.objectRefTail());
	}

	private static void responseStatus(AuditLogLine l, AuditLogRequest r) {
		int code = (r.stage == STARTED) ? 200 : r.code;
		if (code < 400) {
			l.put(STATUS_OK);
			l.number(code);
			l.put((byte) '}');
			return;
		}
		l.put(STATUS_FAILURE);
		byte[] kind = r.op.resource().kind();
		switch (code) {
			case 404 -> {
				l.put(kind);
				l.put(ESCAPED_SPACE_QUOTE);
				l.put(r.name);
				l.put(NOT_FOUND);
			}
			case 409 -> {
				l.put(CONFLICT_HEAD);
				l.put(kind);
				l.put(ESCAPED_SPACE_QUOTE);
				l.put(r.name);
				l.put(CONFLICT_TAIL);
			}
			case 429 -> l.put(TOO_MANY);
			default -> l.put(INTERNAL);
		}
		l.number(code);
		l.put((byte) '}');
	}

}
