package dev.cpdoctor.analysis.network;

/** How one of the dashboard's own calls to an apiserver ended. */
public enum CallOutcome {

	/** An HTTP answer came (any status, the body read to its end or closed). */
	ANSWERED("answered"),

	/**
	 * No answer (or no whole body) within the timeout: what a blocked or lossy path looks
	 * like.
	 */
	TIMEOUT("timeout"),

	/** The connection was refused: nothing listens, or a rule rejects it. */
	REFUSED("connection refused"),

	/** No route to the host, or its name does not resolve. */
	UNREACHABLE("unreachable"),

	/**
	 * The TLS handshake failed: a certificate, or something in the path speaking TLS for
	 * the apiserver.
	 */
	TLS("TLS failure"),

	/**
	 * The connection failed otherwise: reset, closed early, an unexpected end of stream.
	 */
	OTHER("other failure");

	private final String label;

	CallOutcome(String label) {
		this.label = label;
	}

	/** A few words for a panel, e.g. "connection refused". */
	public String label() {
		return this.label;
	}

	/** Whether the network failed to carry the call (everything but an answer). */
	public boolean networkFailure() {
		return this != ANSWERED;
	}

}
