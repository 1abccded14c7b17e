package dev.cpdoctor.troubleshoot.remedy;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who an APF FlowSchema matches: one service account, user or group. Validated on
 * construction, so every value that reaches a generated manifest (or its comment) has a
 * known, small alphabet.
 *
 * @param kind which kind of subject
 * @param namespace the service account's namespace; null for users and groups
 * @param name the service account, user or group name
 */
public record ApfSubject(Kind kind, String namespace, String name) {

	/** The subject kinds of flowcontrol's Subject, as the API spells them. */
	public enum Kind {

		SERVICE_ACCOUNT("ServiceAccount"), USER("User"), GROUP("Group");

		private final String apiName;

		Kind(String apiName) {
			this.apiName = apiName;
		}

		public String apiName() {
			return this.apiName;
		}

	}

	/** A DNS-1123 label: namespaces. */
	static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	/** A DNS-1123 subdomain (length checked apart): service account names, API groups. */
	static final Pattern DNS_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	/**
	 * User and group names are free text to Kubernetes; here they are limited to what
	 * real ones use (system:serviceaccount:ns:sa, alice@example.com,
	 * arn:aws:iam::1:role/x, https://issuer#sub, AAD object ids): ASCII letters, digits
	 * and . _ : @ / + = # ~ -. No spaces, quotes, braces, angle brackets or line breaks,
	 * and no '*' (which would match everyone).
	 */
	static final Pattern USER_OR_GROUP = Pattern.compile("[A-Za-z0-9._:@/+=#~-]{1,253}");

	public ApfSubject {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(name, "name");
		if (kind == Kind.SERVICE_ACCOUNT) {
			if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
				throw new IllegalArgumentException("the namespace must be a DNS-1123 label (1-63 lower case letters,"
						+ " digits and '-', starting and ending with a letter or digit)");
			}
			if (!isDnsSubdomain(name)) {
				throw new IllegalArgumentException("the service account name must be a DNS-1123 subdomain (1-253 lower"
						+ " case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit)");
			}
		}
		else {
			if (namespace != null) {
				throw new IllegalArgumentException("only service accounts have a namespace");
			}
			if (!USER_OR_GROUP.matcher(name).matches()) {
				throw new IllegalArgumentException("the " + kind.apiName().toLowerCase(Locale.ROOT)
						+ " name must be 1-253 ASCII letters, digits or . _ : @ / + = # ~ -");
			}
		}
	}

	/** From {@code <namespace>/<name>}. */
	public static ApfSubject serviceAccount(String namespaceAndName) {
		int slash = namespaceAndName.indexOf('/');
		if (slash < 0 || slash != namespaceAndName.lastIndexOf('/')) {
			throw new IllegalArgumentException("give it as <namespace>/<name>, e.g. acme/inventory-controller");
		}
		return new ApfSubject(Kind.SERVICE_ACCOUNT, namespaceAndName.substring(0, slash),
				namespaceAndName.substring(slash + 1));
	}

	public static ApfSubject user(String name) {
		return new ApfSubject(Kind.USER, null, name);
	}

	public static ApfSubject group(String name) {
		return new ApfSubject(Kind.GROUP, null, name);
	}

	/** "ServiceAccount acme/inventory-controller", "User alice@example.com" */
	public String describe() {
		return this.kind.apiName() + " " + ((this.namespace != null) ? this.namespace + "/" + this.name : this.name);
	}

	public static boolean isDnsSubdomain(String value) {
		return value != null && value.length() <= 253 && DNS_SUBDOMAIN.matcher(value).matches();
	}

}
