package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;

/**
 * The forms AKS audit logs leave Azure in: diagnostic records (storage account
 * {@code PT1H.json} lines, Event Hubs {@code records}) whose properties.log is the Event
 * as JSON text, and Log Analytics rows, as JSON or CSV: AzureDiagnostics (log_s is the
 * Event) and AKSAudit (the Event's fields as columns, rebuilt into an Event here so that
 * the event parser judges it like any other).
 */
final class AzureForms {

	private static final Set<String> AUDIT_CATEGORIES = Set.of("kube-audit", "kube-audit-admin");

	private final FormReading reading;

	AzureForms(FormReading reading) {
		this.reading = reading;
	}

	/** A diagnostic record: {"time","resourceId","category","properties":{"log"}}. */
	void record(byte[] b, int start, int end, Place place) {
		this.reading.form(place.in("records") ? AuditForm.AZURE_EVENT_HUBS : AuditForm.AZURE_STORAGE);
		String category = Members.string(b, start, end, "category");
		if (category != null && !AUDIT_CATEGORIES.contains(category)) {
			this.reading.problem("Azure record of another category than kube-audit or kube-audit-admin");
			return;
		}
		String log = Members.string(b, start, end, "properties", "log");
		if (log == null) {
			this.reading.problem("Azure record without properties.log");
			return;
		}
		CloudWatchForms.embedded(this.reading, log, "Azure record's properties.log is not an audit event");
	}

	/**
	 * A Log Analytics row, its columns by name (" [UTC]" and the like cut off the names
	 * already): AzureDiagnostics when it has log_s, else AKSAudit.
	 */
	void row(Map<String, String> columns, boolean csv) {
		String log = columns.get("log_s");
		if (log != null || columns.containsKey("Category") && !columns.containsKey("AuditId")) {
			this.reading.form(csv ? AuditForm.AZURE_DIAGNOSTICS_CSV : AuditForm.AZURE_DIAGNOSTICS_JSON);
			String category = columns.get("Category");
			if (category != null && !category.isEmpty() && !AUDIT_CATEGORIES.contains(category)) {
				this.reading.problem("AzureDiagnostics row of another category than kube-audit or kube-audit-admin");
			}
			else if (log == null || log.isBlank()) {
				this.reading.problem("AzureDiagnostics row without log_s");
			}
			else {
				CloudWatchForms.embedded(this.reading, log, "AzureDiagnostics log_s is not an audit event");
			}
			return;
		}
		this.reading.form(csv ? AuditForm.AKS_AUDIT_CSV : AuditForm.AKS_AUDIT_JSON);
		byte[] event;
		try {
			event = event(columns);
		}
		catch (JacksonException | NotJson ex) {
			this.reading.problem("AKSAudit row with an ObjectRef or ResponseStatus that is not JSON");
			return;
		}
		this.reading.events().event(event, 0, event.length);
	}

	/** The Event an AKSAudit row stands for, as JSON. */
	private static byte[] event(Map<String, String> columns) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(512);
		try (JsonGenerator json = Members.JSON.createGenerator(ObjectWriteContext.empty(), out)) {
			json.writeStartObject();
			json.writeStringProperty("kind", "Event");
			json.writeStringProperty("apiVersion", "audit.k8s.io/v1");
			string(json, "level", columns.get("Level"));
			string(json, "auditID", columns.get("AuditId"));
			string(json, "stage", columns.get("Stage"));
			string(json, "verb", columns.get("Verb"));
			string(json, "userAgent", columns.get("UserAgent"));
			string(json, "requestURI", columns.get("RequestUri"));
			string(json, "requestReceivedTimestamp", LogAnalyticsTime.iso(columns.get("RequestReceivedTime")));
			string(json, "stageTimestamp", LogAnalyticsTime.iso(columns.get("StageReceivedTime")));
			string(json, "timestamp", LogAnalyticsTime.iso(columns.get("TimeGenerated")));
			dynamic(json, "objectRef", columns.get("ObjectRef"));
			dynamic(json, "responseStatus", columns.get("ResponseStatus"));
			json.writeEndObject();
		}
		return out.toByteArray();
	}

	private static void string(JsonGenerator json, String name, String value) {
		if (value != null && !value.isEmpty()) {
			json.writeStringProperty(name, value);
		}
	}

	/** A dynamic column: JSON text (from a CSV cell or a JSON string), copied as JSON. */
	private static void dynamic(JsonGenerator json, String name, String text) {
		if (text == null || text.isBlank()) {
			return;
		}
		try (JsonParser parser = Members.JSON.createParser(ObjectReadContext.empty(), text)) {
			JsonToken first = parser.nextToken();
			if (first == JsonToken.VALUE_NULL) {
				return;
			}
			json.writeName(name);
			json.copyCurrentStructure(parser);
			if (parser.nextToken() != null) {
				throw new NotJson();
			}
		}
	}

	/** A dynamic column's text with more after its JSON value. */
	private static final class NotJson extends RuntimeException {

		NotJson() {
			super(null, null, false, false);
		}

	}

}
