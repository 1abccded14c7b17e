package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.cpdoctor.analysis.audit.form.ByteSource.Malformed;

/**
 * JSON documents of any layout (pretty-printed, concatenated, one per line, any white
 * space and byte-order marks between them), walked value by value over the stream. A
 * document is held whole only up to the document cap, except that a wrapper's array
 * (EventList items, CloudWatch events, Logs Insights results, subscription logEvents,
 * Firehose or Event Hubs records) is walked item by item, each item held alone: a wrapper
 * of any size never is.
 */
final class JsonDocuments {

	/** A wrapper's string members kept for its items (a control message, a kind). */
	private static final Set<String> SHELL = Set.of("kind", "messageType", "requestId");

	private static final int MAX_DEPTH = 512;

	private final FormReading reading;

	private final ByteSource src;

	private final Units units;

	JsonDocuments(FormReading reading, ByteSource src) {
		this.reading = reading;
		this.src = src;
		this.units = reading.units();
	}

	/** Every document to the end of the input. */
	void read() throws IOException {
		while (true) {
			int c = this.src.skipSpace();
			if (c == ByteSource.EOF) {
				return;
			}
			try {
				if (c == '{') {
					object();
				}
				else if (c == '[') {
					items(null, Map.of());
				}
				else {
					this.reading.problem("text outside JSON documents");
					this.src.skipToDocumentStart();
				}
			}
			catch (Malformed ex) {
				this.src.abandonCapture();
				this.reading.problem(ex.getMessage());
				if (ex == Malformed.TRUNCATED) {
					return;
				}
				this.src.skipToDocumentStart();
			}
		}
	}

	/**
	 * A document that is an object: held whole (up to the cap) and read as one unit,
	 * unless it holds a wrapper's array, whose items are then read one by one.
	 */
	private void object() throws IOException, Malformed {
		this.src.startCapture();
		this.src.next();
		Map<String, String> shell = new HashMap<>();
		boolean wrapper = false;
		int c = this.src.skipSpace();
		while (c != '}') {
			String key = key(c);
			c = this.src.skipSpace();
			if (key != null && UnitShape.WRAPPERS.contains(key) && c == '[') {
				this.src.abandonCapture();
				wrapper = true;
				items(key, shell);
			}
			else if (key != null && SHELL.contains(key) && c == '"') {
				this.src.next();
				String value = this.src.smallString(256);
				if (value != null) {
					shell.put(key, value);
				}
			}
			else {
				skipValue();
			}
			c = next('}');
		}
		this.src.next();
		if (wrapper) {
			return;
		}
		if (!this.src.endCapture()) {
			this.reading.problem(
					"JSON document larger than " + FormLimits.size(this.reading.limits().maxDocument()) + " (skipped)");
			return;
		}
		this.units.unit(this.src.captured(), 0, this.src.capturedLength(), Place.DOCUMENT);
	}

	/**
	 * The array at the current position (a wrapper's, or a document that is an array):
	 * each item held alone and read as one unit.
	 */
	private void items(String key, Map<String, String> shell) throws IOException, Malformed {
		this.src.next();
		boolean control = "logEvents".equals(key) && "CONTROL_MESSAGE".equals(shell.get("messageType"));
		Place place = (key != null) ? Place.item(key, shell) : Place.DOCUMENT;
		if (key != null) {
			this.units.wrapper(key);
		}
		int c = this.src.skipSpace();
		while (c != ']') {
			this.src.startCapture();
			skipValue();
			boolean held = this.src.endCapture();
			if (control) {
				// CloudWatch checking its destination: no audit event, and no problem
			}
			else if (!held) {
				this.reading.problem("item of " + ((key != null) ? key : "an array") + " larger than "
						+ FormLimits.size(this.reading.limits().maxDocument()) + " (skipped)");
			}
			else {
				this.units.unit(this.src.captured(), 0, this.src.capturedLength(), place);
			}
			c = next(']');
		}
		this.src.next();
	}

	/** An object's key at c (its opening quote) and the colon after it. */
	private String key(int c) throws IOException, Malformed {
		if (c != '"') {
			throw (c == ByteSource.EOF) ? Malformed.TRUNCATED : Malformed.BROKEN;
		}
		this.src.next();
		String key = this.src.smallString(64);
		int colon = this.src.skipSpace();
		if (colon != ':') {
			throw (colon == ByteSource.EOF) ? Malformed.TRUNCATED : Malformed.BROKEN;
		}
		this.src.next();
		return key;
	}

	/** After a member or item: past a comma to the next one, or at {@code close}. */
	private int next(int close) throws IOException, Malformed {
		int c = this.src.skipSpace();
		if (c == ',') {
			this.src.next();
			c = this.src.skipSpace();
			if (c == close) {
				throw Malformed.BROKEN;
			}
			return c;
		}
		if (c != close) {
			throw (c == ByteSource.EOF) ? Malformed.TRUNCATED : Malformed.BROKEN;
		}
		return c;
	}

	/** Past the value at the current position, whatever its strings hold. */
	private void skipValue() throws IOException, Malformed {
		int c = this.src.peek();
		if (c == '"') {
			this.src.next();
			this.src.skipString();
			return;
		}
		if (c == ByteSource.EOF) {
			throw Malformed.TRUNCATED;
		}
		if (c == '}' || c == ']' || c == ',' || c == ':' || c == ByteSource.NOT_JSON) {
			throw Malformed.BROKEN;
		}
		if (c != '{' && c != '[') {
			this.src.skipScalar();
			return;
		}
		container();
	}

	/**
	 * Past the object or array at the current position, whatever its strings hold. A line
	 * that starts with a new document where this one cannot go on (not after a comma,
	 * colon or opening bracket) means this one was cut at the end of its line: the walk
	 * goes on from that line.
	 */
	private void container() throws IOException, Malformed {
		int depth = 0;
		int last = ' ';
		do {
			int c = this.src.next();
			if (c == ByteSource.EOF) {
				throw Malformed.TRUNCATED;
			}
			if (c == '"') {
				this.src.skipString();
			}
			else if (c == '{' || c == '[') {
				if (++depth > MAX_DEPTH) {
					throw Malformed.BROKEN;
				}
			}
			else if (c == '}' || c == ']') {
				depth--;
			}
			else if (c == '\n' && last != ',' && last != ':' && last != '{' && last != '[') {
				int after = this.src.peek();
				if (after == '{' || after == '[') {
					throw Malformed.CUT;
				}
			}
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				last = c;
			}
		}
		while (depth > 0);
	}

}
