package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.support.Sha256;

/**
 * Turns the fields read from one Event into an {@link AuditEvent}, whichever reader read
 * them: refuses an event the analyses cannot use (wrong types, no auditID, no usable
 * timestamp, an unknown stage, a time outside 1970..9999) and repairs what a client may
 * send but the stores cannot keep (long auditIDs, NUL, lone surrogates, long user
 * agents), counting each by reason.
 */
final class AuditEventCheck {

	/** An auditID longer than this is replaced by its SHA-256 (64 hex characters). */
	static final int MAX_AUDIT_ID = 64;

	private static final Instant EARLIEST = Instant.EPOCH;

	private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

	private AuditEventCheck() {
	}

	/**
	 * Checks one event's fields, read from {@code input[from, to)}: a usable event goes
	 * to the sink, anything else is counted by reason, with the event as the reason's
	 * sample (repairs too).
	 */
	static void emit(AuditFields f, byte[] input, int from, int to, AuditInputReport report,
			Consumer<AuditEvent> sink) {
		AuditEvent event;
		report.judging(input, from, to);
		try {
			event = check(f, report);
		}
		catch (RuntimeException ex) {
			// A fault of ours on one odd event must cost that event, never the batch or
			// the file.
			report.problem("event not readable (" + ex.getClass().getSimpleName() + ")");
			return;
		}
		finally {
			report.judged();
		}
		if (event != null) {
			report.kept();
			sink.accept(event);
		}
	}

	/** The event, or null with the reason counted. */
	private static AuditEvent check(AuditFields f, AuditInputReport report) {
		if (f.wrongType != null) {
			report.problem("wrong type for " + f.wrongType);
			return null;
		}
		if (f.auditId == null || f.auditId.isEmpty()) {
			report.problem("no auditID");
			return null;
		}
		Instant receivedAt = (f.receivedAt != null || f.received != null) ? instant(f.receivedAt, f.received)
				: instant(f.timestampAt, f.timestamp);
		if (receivedAt == null) {
			report.problem("no usable requestReceivedTimestamp or timestamp");
			return null;
		}
		Stage parsedStage = stage(f.stage);
		if (parsedStage == null) {
			String stage = f.stage;
			report.problem("unknown stage "
					+ (stage == null ? "(none)" : stage.length() > 40 ? stage.substring(0, 40) : stage));
			return null;
		}
		Instant stageAt = instant(f.stageAt, f.stageTimestamp);
		boolean timed = stageAt != null;
		if (!timed) {
			// Counted as a request, without latency: an old shape (v1beta1 before
			// Kubernetes 1.10 has only timestamp) or a cut event. A completed one
			// counts at once.
			report.problem("no stageTimestamp (counted, no latency)");
			stageAt = receivedAt;
		}
		if (receivedAt.isBefore(EARLIEST) || !receivedAt.isBefore(LATEST) || stageAt.isBefore(EARLIEST)
				|| !stageAt.isBefore(LATEST)) {
			report.problem("timestamp outside 1970..9999");
			return null;
		}
		return event(f, parsedStage, receivedAt, stageAt, timed, report);
	}

	/** The checked event with its texts made storable, each repair counted. */
	private static AuditEvent event(AuditFields f, Stage stage, Instant receivedAt, Instant stageAt, boolean timed,
			AuditInputReport report) {
		String auditId = f.auditId;
		if (auditId.length() > MAX_AUDIT_ID) {
			// Clients may send any Audit-ID header; a digest keeps stages of one request
			// together.
			report.problem("auditID longer than " + MAX_AUDIT_ID + " characters (hashed)");
			auditId = Sha256.hex(auditId.getBytes(StandardCharsets.UTF_8));
		}
		String[] texts = { auditId, f.userAgent, f.verb, f.resource, f.apiGroup, f.subresource };
		if (!f.scanned) {
			// PostgreSQL text cannot hold NUL, nor UTF-8 an escaped lone surrogate (read
			// back as '?' a request would no longer match its own key): both are a
			// client's doing.
			repair(texts, AuditEventCheck::withoutNul, "NUL character (replaced)", report);
			repair(texts, AuditEventCheck::withoutLoneSurrogates, "lone UTF-16 surrogate (replaced)", report);
		}
		String userAgent = texts[1];
		if (userAgent != null && userAgent.length() > AuditEventParser.MAX_USER_AGENT) {
			report.problem("user agent longer than " + AuditEventParser.MAX_USER_AGENT + " characters (cut)");
			userAgent = AuditEventParser.cut(userAgent, AuditEventParser.MAX_USER_AGENT);
		}
		return new AuditEvent(texts[0], stage, texts[2], userAgent, texts[3], texts[4], texts[5], f.code, receivedAt,
				stageAt, timed);
	}

	/**
	 * Applies {@code fix} to the texts; when it changed any, counts {@code problem} once.
	 */
	private static void repair(String[] texts, UnaryOperator<String> fix, String problem, AuditInputReport report) {
		boolean changed = false;
		for (int i = 0; i < texts.length; i++) {
			String fixed = fix.apply(texts[i]);
			changed |= fixed != null && !fixed.equals(texts[i]);
			texts[i] = fixed;
		}
		if (changed) {
			report.problem(problem);
		}
	}

	private static String withoutNul(String text) {
		return (text != null) ? text.replace('\u0000', '\uFFFD') : null;
	}

	private static String withoutLoneSurrogates(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean paired = Character.isHighSurrogate(c)
					? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
					: !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
			if (!paired && out == null) {
				out = new StringBuilder(text.length()).append(text, 0, i);
			}
			if (out != null) {
				out.append(paired ? c : '\uFFFD');
			}
		}
		return (out != null) ? out.toString() : text;
	}

	private static Instant instant(Instant parsed, String text) {
		return (parsed != null) ? parsed : Timestamps.parse(text);
	}

	private static Stage stage(String stage) {
		if (stage == null) {
			return null;
		}
		return switch (stage) {
			case "RequestReceived" -> Stage.REQUEST_RECEIVED;
			case "ResponseStarted" -> Stage.RESPONSE_STARTED;
			case "ResponseComplete" -> Stage.RESPONSE_COMPLETE;
			case "Panic" -> Stage.PANIC;
			default -> null;
		};
	}

}
