package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

import dev.cpdoctor.analysis.network.CallOutcome;
import dev.cpdoctor.analysis.network.OwnCall;
import dev.cpdoctor.history.CallRecorder;

/**
 * Records every call through one cluster's ApiClient: its kind, start, duration and
 * outcome. A call ends when its answer's body has been read to the end or closed (a
 * /metrics body of tens of MB takes most of the call), or when it failed, before or
 * during the body. The recorder is told and the call goes on as if nothing listened:
 * recording never changes an answer or an exception.
 */
final class OwnCallInterceptor implements Interceptor {

	private final String cluster;

	private final CallRecorder recorder;

	private final Clock clock;

	OwnCallInterceptor(String cluster, CallRecorder recorder, Clock clock) {
		this.cluster = cluster;
		this.recorder = recorder;
		this.clock = clock;
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		String kind = CallKinds.of(request.method(), request.url().encodedPath());
		Instant at = this.clock.instant();
		long started = System.nanoTime();
		Response response;
		try {
			response = chain.proceed(request);
		}
		catch (IOException | RuntimeException ex) {
			record(OwnCall.failed(this.cluster, at, kind, since(started), outcome(ex, chain.call().isCanceled()), null,
					describe(ex)));
			throw ex;
		}
		int status = response.code();
		ResponseBody body = response.body();
		if (body == null) {
			record(OwnCall.answered(this.cluster, at, kind, since(started), status));
			return response;
		}
		Ended ended = new Ended(
				(failure) -> record((failure == null) ? OwnCall.answered(this.cluster, at, kind, since(started), status)
						: OwnCall.failed(this.cluster, at, kind, since(started),
								outcome(failure, chain.call().isCanceled()), status,
								"after HTTP " + status + ": " + describe(failure))));
		return response.newBuilder().body(new TimedBody(body, ended)).build();
	}

	private void record(OwnCall call) {
		try {
			this.recorder.record(call);
		}
		catch (RuntimeException ex) {
			// A recorder breaking its promise must not break the call.
		}
	}

	/**
	 * What a failure says of the path: a timeout anywhere in the causes (connect, read,
	 * or the whole call cancelled by its deadline) is a timeout; then refused,
	 * unreachable, TLS, anything else.
	 */
	static CallOutcome outcome(Throwable failure, boolean canceled) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return CallOutcome.TIMEOUT;
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
				return CallOutcome.UNREACHABLE;
			}
			if (cause instanceof ConnectException) {
				return refused(cause) ? CallOutcome.REFUSED : CallOutcome.UNREACHABLE;
			}
			if (cause instanceof SSLException) {
				return CallOutcome.TLS;
			}
		}
		if (failure instanceof InterruptedIOException || canceled) {
			return CallOutcome.TIMEOUT;
		}
		return CallOutcome.OTHER;
	}

	private static boolean refused(Throwable connect) {
		for (Throwable cause = connect; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The innermost cause's class and message: "ConnectException: Connection refused".
	 */
	static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return root.getClass().getSimpleName() + ((message != null && !message.isBlank()) ? ": " + message : "");
	}

	private static Duration since(long startedNanos) {
		return Duration.ofNanos(Math.max(0, System.nanoTime() - startedNanos));
	}

	/**
	 * Tells once that the body ended: null when read to its end or closed, else the
	 * failure.
	 */
	private static final class Ended {

		private final AtomicBoolean told = new AtomicBoolean();

		private final Consumer<IOException> listener;

		Ended(Consumer<IOException> listener) {
			this.listener = listener;
		}

		void tell(IOException failure) {
			if (this.told.compareAndSet(false, true)) {
				this.listener.accept(failure);
			}
		}

	}

	/** The answer's body, unchanged, telling {@link Ended} when it ends. */
	private static final class TimedBody extends ResponseBody {

		private final ResponseBody delegate;

		private final BufferedSource source;

		TimedBody(ResponseBody delegate, Ended ended) {
			this.delegate = delegate;
			this.source = Okio.buffer(new ForwardingSource(delegate.source()) {

				@Override
				public long read(Buffer sink, long byteCount) throws IOException {
					try {
						long read = super.read(sink, byteCount);
						if (read == -1) {
							ended.tell(null);
						}
						return read;
					}
					catch (IOException ex) {
						ended.tell(ex);
						throw ex;
					}
				}

				@Override
				public void close() throws IOException {
					ended.tell(null);
					super.close();
				}

			});
		}

		@Override
		public MediaType contentType() {
			return this.delegate.contentType();
		}

		@Override
		public long contentLength() {
			return this.delegate.contentLength();
		}

		@Override
		public BufferedSource source() {
			return this.source;
		}

	}

}
