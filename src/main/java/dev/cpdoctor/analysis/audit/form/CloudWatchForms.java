package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The forms EKS audit logs leave AWS in, all CloudWatch Logs events whose message is the
 * audit Event as JSON text: {@code filter-log-events} / {@code get-log-events} output,
 * subscription payloads (logEvents), Logs Insights results (the {@code @message} field),
 * export-to-S3 lines ({@code <timestamp> <event>}), and Firehose HTTP endpoint records,
 * whose base64 data holds any of these again (usually a gzip subscription payload).
 */
final class CloudWatchForms {

	/** What CloudWatch sends a new subscription's destination to check it. */
	private static final String CONTROL = "CWL CONTROL MESSAGE";

	private final FormReading reading;

	CloudWatchForms(FormReading reading) {
		this.reading = reading;
	}

	/** A CloudWatch Logs event ({@code message}, timestamp, ...) in b[start..end). */
	void logEvent(byte[] b, int start, int end, Place place) throws IOException {
		this.reading.form(place.in("logEvents") ? AuditForm.CLOUDWATCH_SUBSCRIPTION : AuditForm.CLOUDWATCH_EVENTS);
		String message = Members.string(b, start, end, "message");
		if (message == null) {
			this.reading.problem("CloudWatch event without a message");
			return;
		}
		if (!message.startsWith(CONTROL)) {
			embedded(this.reading, message, "CloudWatch event message is not an audit event");
		}
	}

	/** A Logs Insights result: the {@code @message} field holds the event. */
	void insightsRow(byte[] b, int start, int end) {
		this.reading.form(AuditForm.LOGS_INSIGHTS);
		String message = Members.insightsMessage(b, start, end);
		if (message == null) {
			this.reading.problem("Logs Insights result without @message (add @message to the query's fields)");
			return;
		}
		embedded(this.reading, message, "Logs Insights @message is not an audit event");
	}

	/**
	 * A Firehose HTTP endpoint record: its data decoded from base64 and read again as an
	 * input of any form (a gzip subscription payload, the payload's JSON, or the bare
	 * event when Firehose decompressed and extracted it).
	 */
	void firehoseRecord(byte[] b, int start, int end) throws IOException {
		this.reading.form(AuditForm.FIREHOSE);
		String data = Members.string(b, start, end, "data");
		byte[] content;
		try {
			content = Base64.getDecoder().decode(data);
		}
		catch (IllegalArgumentException ex) {
			this.reading.problem("Firehose record data is not base64");
			return;
		}
		if (content.length == 0) {
			this.reading.problem("Firehose record without data");
			return;
		}
		this.reading.nested(content);
	}

	/**
	 * A line of a CloudWatch Logs export to S3: an ISO-8601 timestamp, a space, the
	 * event.
	 */
	void exportLine(byte[] b, int start, int end) {
		int p = JsonSkip.skipSpace(b, start, end);
		int space = JsonSkip.indexOf(b, (byte) ' ', p, Math.min(end, p + 64));
		if (p == end || b[p] < '0' || b[p] > '9' || space < 0) {
			this.reading.problem("CloudWatch export line without a timestamp and an event");
			return;
		}
		int json = JsonSkip.skipSpace(b, space, end);
		if (json == end || b[json] != '{') {
			this.reading.problem("CloudWatch export line without an event after its timestamp");
			return;
		}
		this.reading.events().event(b, json, end);
	}

	/**
	 * An event that a cloud's record holds as JSON text: to the event parser when it is a
	 * JSON object, else counted with {@code notAnEvent}.
	 */
	static void embedded(FormReading reading, String text, String notAnEvent) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		int p = JsonSkip.skipSpace(bytes, 0, bytes.length);
		if (p == bytes.length || bytes[p] != '{') {
			reading.problem(notAnEvent);
			return;
		}
		reading.events().event(bytes, p, bytes.length);
	}

}
