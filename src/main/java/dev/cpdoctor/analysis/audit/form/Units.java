package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.util.Arrays;

/**
 * One JSON value of an input (a document, a line, a wrapper's item), told apart by its
 * shape and handed to what reads that shape: an Event straight to the event parser, a
 * wrapper found inside to another walk. Each value that holds no event is counted once,
 * with its reason.
 */
final class Units {

	private final FormReading reading;

	Units(FormReading reading) {
		this.reading = reading;
	}

	/** The forms a wrapper's array names at once (others are told by their items). */
	void wrapper(String key) {
		switch (key) {
			case "items" -> this.reading.form(AuditForm.EVENT_LIST);
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
		switch (shape.kind()) {
			case EVENT -> event(b, start, end, place);
			case BROKEN -> this.reading.events().event(b, start, end);
			case WRAPPER -> this.reading.nested(Arrays.copyOfRange(b, start, end));
			case EMPTY_EVENT_LIST -> this.reading.problem("EventList without an items array");
			default -> this.reading.problem("JSON value that is not an audit event nor a known export of one");
		}
	}

	private void event(byte[] b, int start, int end, Place place) {
		this.reading.form((place.origin() == Place.Origin.LINE) ? AuditForm.EVENT_LINES : AuditForm.EVENT_DOCUMENTS);
		this.reading.events().event(b, start, end);
	}

}
