package dev.cpdoctor.analysis.audit;

/**
 * How pages, charts and the diagnosis name a user agent: requests without one (common
 * before Kubernetes 1.10, and from some clients today) as {@value #NONE}. A client may
 * call itself that literally: its name is then quoted once more, so no two user agents
 * ever show alike. Data and the JSON API keep the user agent itself ("" for none).
 */
public final class UserAgentLabel {

	/** The label of requests without a user agent. */
	public static final String NONE = "(no user agent)";

	private UserAgentLabel() {
	}

	/** The user agent as shown: itself, or {@value #NONE} when empty or missing. */
	public static String of(String userAgent) {
		if (userAgent == null || userAgent.isEmpty()) {
			return NONE;
		}
		String core = userAgent;
		while (core.length() >= 2 && core.charAt(0) == '"' && core.charAt(core.length() - 1) == '"') {
			core = core.substring(1, core.length() - 1);
		}
		return core.equals(NONE) ? "\"" + userAgent + "\"" : userAgent;
	}

}
