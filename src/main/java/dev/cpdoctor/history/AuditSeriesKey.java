package dev.cpdoctor.history;

import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.RollupKey;
import dev.cpdoctor.support.Sha256;

/**
 * What an audit series (a row of audit_series) is about, as stored: text cut to the
 * columns' lengths, never through a surrogate pair.
 */
record AuditSeriesKey(String userAgent, String verb, String resource, int codeClass) {

	static AuditSeriesKey of(RollupKey key) {
		return new AuditSeriesKey(AuditEventParser.cut(key.userAgent(), 1024), AuditEventParser.cut(key.verb(), 64),
				AuditEventParser.cut(key.resource(), 800), key.codeClass());
	}

	/**
	 * The unique key's SHA-256: short whatever the user agent, which a client chooses.
	 */
	String hash() {
		return Sha256.hex(this.userAgent, this.verb, this.resource, Integer.toString(this.codeClass));
	}

}
