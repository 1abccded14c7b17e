package dev.cpdoctor.bench;

import dev.cpdoctor.bench.AuditLogModel.Identity;
import dev.cpdoctor.bench.AuditLogModel.Op;

/**
 * One request in flight in the generated log: its next stage is written at {@code time};
 * {@code seq} orders requests due at the same microsecond.
 */
final class AuditLogRequest {

	static final int RECEIVED = 0;

	static final int STARTED = 1;

	static final int COMPLETE = 2;

	long time;

	long seq;

	int stage;

	long hi;

	long lo;

	long received;

	long started;

	long complete;

	AuditLogAgent agent;

	Op op;

	Identity identity;

	byte[] namespace;

	byte[] name;

	int code;

	long resourceVersion;

	int watchSeconds;

}
