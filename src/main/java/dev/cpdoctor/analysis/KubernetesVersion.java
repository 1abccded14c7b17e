package dev.cpdoctor.analysis;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A cluster's Kubernetes version as the dashboard last saw it, and where from.
 *
 * @param gitVersion as /version gives it, e.g. v1.27.3 or v1.29.2+k3s1
 * @param from where it was seen, for messages: "the last /metrics scrape", "the demo
 * scenario"
 */
public record KubernetesVersion(String gitVersion, String from) {

	/**
	 * Digits, dots and a short build suffix: anything else from a server is not shown.
	 */
	private static final Pattern GIT_VERSION = Pattern
		.compile("v?[0-9]{1,3}\\.[0-9]{1,3}(\\.[0-9]{1,4})?([-+][A-Za-z0-9.+-]{0,40})?");

	private static final Pattern FROM = Pattern.compile("[ -~]{1,80}");

	public KubernetesVersion {
		if (gitVersion == null || !GIT_VERSION.matcher(gitVersion).matches()) {
			throw new IllegalArgumentException("not a Kubernetes version: " + gitVersion);
		}
		if (from == null || !FROM.matcher(from).matches()) {
			throw new IllegalArgumentException("say where the version was seen, in printable ASCII");
		}
	}

	/**
	 * Empty when the version is absent or does not look like one (a server's text is not
	 * trusted).
	 */
	public static Optional<KubernetesVersion> of(String gitVersion, String from) {
		if (gitVersion == null || !GIT_VERSION.matcher(gitVersion).matches()) {
			return Optional.empty();
		}
		return Optional.of(new KubernetesVersion(gitVersion, from));
	}

}
