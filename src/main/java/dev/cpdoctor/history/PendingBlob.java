package dev.cpdoctor.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.RequestKey;

/**
 * What one batch changed in the requests waiting for their ResponseComplete, as two
 * values for one row of audit_pending_log: the requests it added, and the keys of those
 * it resolved (completed or expired). A version byte, a count, then the fields.
 */
final class PendingBlob {

	private static final byte VERSION = 1;

	private PendingBlob() {
	}

	static byte[] added(Collection<PendingRequest> requests) {
		BlobBytes.Writer out = new BlobBytes.Writer(16 + requests.size() * 128);
		out.raw(new byte[] { VERSION });
		out.varLong(requests.size());
		for (PendingRequest request : requests) {
			// Cut as the series they will count in are (and as audit_pending's columns
			// were): a client's 1 MB resource name must not be rewritten at every fold
			// while it waits.
			out.text(AuditEventParser.cut(request.auditId(), 128));
			out.varLong(request.requestReceived().getEpochSecond());
			out.varLong(request.requestReceived().getNano());
			out.text(AuditEventParser.cut(request.userAgent(), 1024));
			out.text(AuditEventParser.cut(request.verb(), 64));
			out.text(AuditEventParser.cut(request.resource(), 800));
			out.signedInt(request.code());
			out.varLong(request.longRunning() ? 1 : 0);
		}
		return out.toByteArray();
	}

	static byte[] resolved(Collection<RequestKey> keys) {
		BlobBytes.Writer out = new BlobBytes.Writer(16 + keys.size() * 48);
		out.raw(new byte[] { VERSION });
		out.varLong(keys.size());
		for (RequestKey key : keys) {
			out.text(key.auditId());
			out.varLong(key.received().getEpochSecond());
			out.varLong(key.received().getNano());
		}
		return out.toByteArray();
	}

	static List<PendingRequest> readAdded(byte[] blob) {
		BlobBytes.Reader in = reader(blob);
		int count = in.varInt();
		List<PendingRequest> requests = new ArrayList<>(Math.min(count, 65_536));
		for (int i = 0; i < count; i++) {
			String auditId = in.text();
			Instant received = Instant.ofEpochSecond(in.varLong(), in.varInt());
			requests.add(new PendingRequest(auditId, received, in.text(), in.text(), in.text(), in.signedInt(),
					in.varLong() == 1));
		}
		in.expectEnd();
		return requests;
	}

	static List<RequestKey> readResolved(byte[] blob) {
		BlobBytes.Reader in = reader(blob);
		int count = in.varInt();
		List<RequestKey> keys = new ArrayList<>(Math.min(count, 65_536));
		for (int i = 0; i < count; i++) {
			keys.add(new RequestKey(in.text(), Instant.ofEpochSecond(in.varLong(), in.varInt())));
		}
		in.expectEnd();
		return keys;
	}

	private static BlobBytes.Reader reader(byte[] blob) {
		if (blob.length == 0 || blob[0] != VERSION) {
			throw new IllegalArgumentException("Stored waiting requests have an unknown format (version byte "
					+ ((blob.length == 0) ? "missing" : blob[0]) + ")");
		}
		BlobBytes.Reader in = new BlobBytes.Reader(blob);
		in.skip(1);
		return in;
	}

}
