package dev.cpdoctor.source.etcd;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import dev.cpdoctor.source.SourceResult;

/** Why a call to etcd gave no answer, in one line fit for a panel. */
final class EtcdFailures {

	private EtcdFailures() {
	}

	/**
	 * What a failed wait for an answer says: its timeout, an interruption or its cause.
	 */
	static String of(Exception ex, Duration timeout) {
		if (ex instanceof TimeoutException) {
			return "no answer within " + timeout;
		}
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
		return reason((ex instanceof ExecutionException) ? ex.getCause() : ex);
	}

	/**
	 * The first message down a cause chain (or the type of an exception that has none).
	 */
	static String reason(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
			root = root.getCause();
		}
		String message = root.getMessage();
		if (root instanceof IOException && message == null) {
			message = root.getClass().getSimpleName();
		}
		return SourceResult.firstLine((message != null) ? message : root.getClass().getSimpleName());
	}

}
