package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;

/**
 * gzip expanded past its bound (the caller's size, or a ratio no real audit log reaches):
 * reading ends there. Events read before it went to the sink already; what was read so
 * far is kept here, for the caller to decide what to keep. The web answers 413.
 */
public final class ExpandedTooLarge extends IOException {

	private transient FormRead readSoFar;

	ExpandedTooLarge(String message) {
		super(message);
	}

	/** What was read before the bound was passed (null when not known). */
	public FormRead readSoFar() {
		return this.readSoFar;
	}

	void readSoFar(FormRead read) {
		if (this.readSoFar == null) {
			this.readSoFar = read;
		}
	}

}
