package dev.cpdoctor.source.etcd;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/**
 * Gives every call of the jetcd client a gRPC deadline of the timeout. Waiting for a
 * future with a timeout gives up here only: without a deadline the call goes on, etcd
 * keeps working on a page nobody reads and its answer (up to max-page-bytes) still
 * arrives. With one, the call ends at both ends.
 */
final class CallDeadline implements ClientInterceptor {

	private final Duration timeout;

	CallDeadline(Duration timeout) {
		this.timeout = timeout;
	}

	@Override
	public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
		CallOptions bounded = (options.getDeadline() != null) ? options
				: options.withDeadlineAfter(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		return next.newCall(method, bounded);
	}

}
