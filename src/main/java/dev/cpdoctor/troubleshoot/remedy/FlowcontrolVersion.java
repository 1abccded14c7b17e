package dev.cpdoctor.troubleshoot.remedy;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions of {@code flowcontrol.apiserver.k8s.io} the APF remedy is written in,
 * newest first (DOMAIN.md, cause 3). All three have the same structure; v1beta2 names the
 * concurrency field {@code assuredConcurrencyShares}. v1beta1 (1.20-1.25, only one served
 * up to 1.22) is not written.
 */
public enum FlowcontrolVersion {

	/** GA in Kubernetes 1.29. */
	V1("v1", "nominalConcurrencyShares", 29, Integer.MAX_VALUE),

	/** Kubernetes 1.26 to 1.31. */
	V1BETA3("v1beta3", "nominalConcurrencyShares", 26, 31),

	/** Kubernetes 1.23 to 1.28. */
	V1BETA2("v1beta2", "assuredConcurrencyShares", 23, 28);

	public static final String GROUP = "flowcontrol.apiserver.k8s.io";

	/**
	 * "v1.27.3", "v1.29.2+k3s1", "v1.28.5-eks-5e0fdde", "1.30": the minor version is all
	 * that matters.
	 */
	private static final Pattern GIT_VERSION = Pattern.compile("v?1\\.(\\d{1,3})(?:[.+-].*)?");

	private final String version;

	private final String concurrencySharesField;

	private final int firstMinor;

	private final int lastMinor;

	FlowcontrolVersion(String version, String concurrencySharesField, int firstMinor, int lastMinor) {
		this.version = version;
		this.concurrencySharesField = concurrencySharesField;
		this.firstMinor = firstMinor;
		this.lastMinor = lastMinor;
	}

	/** "v1", "v1beta3", "v1beta2" */
	public String version() {
		return this.version;
	}

	/** "flowcontrol.apiserver.k8s.io/v1" */
	public String apiVersion() {
		return GROUP + "/" + this.version;
	}

	/** The PriorityLevelConfiguration field of spec.limited that carries the share. */
	public String concurrencySharesField() {
		return this.concurrencySharesField;
	}

	/**
	 * Whether spec.limited has borrowingLimitPercent in every Kubernetes release serving
	 * this version: v1 and v1beta3 (1.26+) do; v1beta2 gained it only in 1.26, and
	 * 1.23-1.25 would refuse it.
	 */
	public boolean hasBorrowingLimit() {
		return this != V1BETA2;
	}

	/**
	 * The Kubernetes releases serving it, for messages: "1.29 and later", "1.26-1.31".
	 */
	public String servedBy() {
		return (this.lastMinor == Integer.MAX_VALUE) ? "Kubernetes 1." + this.firstMinor + " and later"
				: "Kubernetes 1." + this.firstMinor + "-1." + this.lastMinor;
	}

	/**
	 * Exactly "v1" or "flowcontrol.apiserver.k8s.io/v1" (any case); empty for anything
	 * else.
	 */
	public static Optional<FlowcontrolVersion> parse(String value) {
		if (value == null) {
			return Optional.empty();
		}
		String text = value.toLowerCase(Locale.ROOT);
		if (text.startsWith(GROUP + "/")) {
			text = text.substring(GROUP.length() + 1);
		}
		for (FlowcontrolVersion candidate : values()) {
			if (candidate.version.equals(text)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * The newest of the versions an apiserver serves ("v1", "v1beta3", ...) that is
	 * written here.
	 */
	public static Optional<FlowcontrolVersion> newestOf(Collection<String> served) {
		for (FlowcontrolVersion candidate : values()) {
			if (served.stream().anyMatch((v) -> parse(v).orElse(null) == candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * The newest version a Kubernetes release serves, from its git version
	 * ("v1.27.3-eks-..."); empty for releases before 1.23 and for versions that cannot be
	 * read.
	 */
	public static Optional<FlowcontrolVersion> newestServedBy(String gitVersion) {
		if (gitVersion == null) {
			return Optional.empty();
		}
		Matcher matcher = GIT_VERSION.matcher(gitVersion.trim());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		int minor = Integer.parseInt(matcher.group(1));
		for (FlowcontrolVersion candidate : values()) {
			if (minor >= candidate.firstMinor && minor <= candidate.lastMinor) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
