package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.util.Arrays;

import tools.jackson.core.JacksonException;

/**
 * One JSON value of an input (a document, a line, a wrapper's item), told apart by its
 * shape and handed to what reads that shape: an Event straight to the event parser, a
 * cloud's record to the reader of its family, a wrapper found inside to another walk.
 * Each value that holds no event is counted once, with its reason.
 */
final class Units {

	private final FormReading reading;

	private final CloudWatchForms cloudWatch;

	private final AzureForms azure;

	Units(FormReading reading) {
		this.reading = reading;
		this.cloudWatch = new CloudWatchForms(reading);
		this.azure = new AzureForms(reading);
	}

	CloudWatchForms cloudWatch() {
		return this.cloudWatch;
	}

	AzureForms azure() {
		return this.azure;
	}

	/** The forms a wrapper's array names at once (others are told by their items). */
	void wrapper(String key) {
		switch (key) {
			case "items" -> this.reading.form(AuditForm.EVENT_LIST);
			case "events" -> this.reading.form(AuditForm.CLOUDWATCH_EVENTS);
			case "results" -> this.reading.form(AuditForm.LOGS_INSIGHTS);
			case "logEvents" -> this.reading.form(AuditForm.CLOUDWATCH_SUBSCRIPTION);
			default -> {
			}
		}
	}

	/** The value that is all of b[start..end), found at {@code place}. */
	void unit(byte[] b, int start, int end, Place place) throws IOException {
		if (place.in("items")) {
			this.reading.events().event(b, start, end);
			return;
		}
		UnitShape shape = UnitShape.of(b, start, end);
		try {
			switch (shape.kind()) {
				case EVENT -> event(b, start, end, place);
				case BROKEN -> this.reading.events().event(b, start, end);
				case WRAPPER -> this.reading.nested(Arrays.copyOfRange(b, start, end));
				case CLOUDWATCH_EVENT -> this.cloudWatch.logEvent(b, start, end, place);
				case FIREHOSE_RECORD -> this.cloudWatch.firehoseRecord(b, start, end);
				case INSIGHTS_ROW -> this.cloudWatch.insightsRow(b, start, end);
				case AZURE_RECORD -> this.azure.record(b, start, end, place);
				case DIAGNOSTICS_ROW, AKS_AUDIT_ROW -> this.azure.row(Members.columns(b, start, end), false);
				case EMPTY_EVENT_LIST -> this.reading.problem("EventList without an items array");
				case OTHER -> this.reading.problem("JSON value that is not an audit event nor a known export of one");
			}
		}
		catch (JacksonException ex) {
			// the shape was read, the rest of the value is broken: the event parser says
			// how
			this.reading.events().event(b, start, end);
		}
	}

	private void event(byte[] b, int start, int end, Place place) {
		this.reading.form((place.origin() == Place.Origin.LINE) ? AuditForm.EVENT_LINES : AuditForm.EVENT_DOCUMENTS);
		this.reading.events().event(b, start, end);
	}

}
