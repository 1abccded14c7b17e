package dev.cpdoctor.troubleshoot.remedy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What to throttle with API Priority and Fairness: one subject's requests with these
 * verbs on these resources, cluster-wide (every namespace and cluster-scoped objects),
 * and how small a share of the apiserver's concurrency they get. Every part is validated
 * here, so a manifest built from it holds only known alphabets.
 *
 * @param subject whose requests
 * @param verbs request verbs ({@link #VERBS}), or just "*"
 * @param apiGroups API groups ("" is the core group), or just "*"
 * @param resources resources, optionally with a subresource ("pods/log"), or just "*"
 * @param shares the priority level's concurrency shares,
 * {@link #MIN_SHARES}-{@link #MAX_SHARES}
 */
public record ThrottleRequest(ApfSubject subject, List<String> verbs, List<String> apiGroups, List<String> resources,
		int shares) {

	/** The verbs of resource requests as APF sees them. */
	public static final Set<String> VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete",
			"deletecollection");

	/**
	 * 1, the smallest share every version accepts (v1beta2/v1beta3 require a positive
	 * one). A level gets ceil(server limit x share / sum of all shares) seats: with the
	 * apiserver's default 600 (max-requests-inflight 400 + max-mutating-requests-inflight
	 * 200) and the built-in levels' 245 shares, 1 share is 3 concurrent requests - enough
	 * for a client that lists now and then, far too few to flood. Never 0 seats, as the
	 * ceiling keeps at least one.
	 */
	public static final int DEFAULT_SHARES = 1;

	public static final int MIN_SHARES = 1;

	/**
	 * workload-low, the largest built-in level, has 100: beyond it a level is no
	 * throttle.
	 */
	public static final int MAX_SHARES = 100;

	/**
	 * More entries in one list are refused: a throttle names a few verbs and resources.
	 */
	public static final int MAX_ENTRIES = 32;

	private static final Pattern DIGITS = Pattern.compile("[0-9]{1,4}");

	private static final Pattern SPACES = Pattern.compile("^ +| +$");

	private static final Pattern RESOURCE = Pattern
		.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?");

	public ThrottleRequest {
		Objects.requireNonNull(subject, "subject");
		verbs = validVerbs(verbs);
		apiGroups = validApiGroups(apiGroups);
		resources = validResources(resources);
		if (shares < MIN_SHARES || shares > MAX_SHARES) {
			throw new IllegalArgumentException("shares must be between " + MIN_SHARES + " and " + MAX_SHARES);
		}
	}

	static List<String> validVerbs(List<String> verbs) {
		return checked("verbs", verbs, VERBS::contains,
				"a verb is one of get, list, watch, create, update, patch, delete, deletecollection, or '*' alone");
	}

	static List<String> validApiGroups(List<String> apiGroups) {
		return checked("apiGroups", apiGroups, (g) -> g.isEmpty() || ApfSubject.isDnsSubdomain(g),
				"an API group is empty (the core group), a DNS-1123 subdomain such as apps or reports.kyverno.io, or '*' alone");
	}

	static List<String> validResources(List<String> resources) {
		return checked("resources", resources, (r) -> RESOURCE.matcher(r).matches(),
				"a resource is a lower-case plural name such as pods, optionally with a subresource such as pods/log, or '*' alone");
	}

	/** Valid entries, duplicates dropped, in the order given. */
	private static List<String> checked(String what, List<String> values, Predicate<String> valid, String rule) {
		Objects.requireNonNull(values, what);
		if (values.isEmpty()) {
			throw new IllegalArgumentException(what + " must name at least one entry");
		}
		if (values.size() > MAX_ENTRIES) {
			throw new IllegalArgumentException(what + " may name at most " + MAX_ENTRIES + " entries");
		}
		for (String value : values) {
			Objects.requireNonNull(value, what);
			if (value.equals("*") ? values.size() > 1 : !valid.test(value)) {
				throw new IllegalArgumentException(value.equals("*") ? "'*' must be the only entry of " + what : rule);
			}
		}
		return List.copyOf(new LinkedHashSet<>(values));
	}

	/** The query parameters of the remedy endpoint, as given (null when absent). */
	public record Query(String serviceAccount, String user, String group, String verbs, String resources,
			String apiGroups, String shares) {

		/** The request these parameters ask for, or which parameter is wrong and why. */
		public Parsed parse() {
			int given = ((this.serviceAccount != null) ? 1 : 0) + ((this.user != null) ? 1 : 0)
					+ ((this.group != null) ? 1 : 0);
			if (given != 1) {
				return new Parsed.Invalid("serviceAccount, user, group",
						"give exactly one subject: serviceAccount=<namespace>/<name>, user=<name> or group=<name>");
			}
			ApfSubject subject;
			String subjectParameter = (this.serviceAccount != null) ? "serviceAccount"
					: (this.user != null) ? "user" : "group";
			try {
				subject = (this.serviceAccount != null) ? ApfSubject.serviceAccount(this.serviceAccount)
						: (this.user != null) ? ApfSubject.user(this.user) : ApfSubject.group(this.group);
			}
			catch (IllegalArgumentException ex) {
				return new Parsed.Invalid(subjectParameter, ex.getMessage());
			}
			if (this.verbs == null) {
				return new Parsed.Invalid("verbs", "verbs is required, e.g. verbs=list,watch");
			}
			if (this.resources == null) {
				return new Parsed.Invalid("resources", "resources is required, e.g. resources=pods");
			}
			int shareCount = DEFAULT_SHARES;
			if (this.shares != null) {
				if (!DIGITS.matcher(this.shares).matches()) {
					return new Parsed.Invalid("shares",
							"shares must be a whole number between " + MIN_SHARES + " and " + MAX_SHARES);
				}
				shareCount = Integer.parseInt(this.shares);
			}
			List<String> verbList;
			List<String> groupList;
			List<String> resourceList;
			String parameter = "verbs";
			try {
				verbList = validVerbs(split(this.verbs));
				parameter = "apiGroups";
				groupList = validApiGroups((this.apiGroups != null) ? split(this.apiGroups) : List.of(""));
				parameter = "resources";
				resourceList = validResources(split(this.resources));
				parameter = "shares";
				return new Parsed.Ok(new ThrottleRequest(subject, verbList, groupList, resourceList, shareCount));
			}
			catch (IllegalArgumentException ex) {
				return new Parsed.Invalid(parameter, ex.getMessage());
			}
		}

		/**
		 * Comma-separated; spaces (only U+0020) around entries are dropped, empty entries
		 * kept (the core group is ""). Anything else stays, for validation to refuse.
		 */
		private static List<String> split(String value) {
			List<String> parts = new ArrayList<>();
			for (String part : value.split(",", -1)) {
				parts.add(SPACES.matcher(part).replaceAll(""));
			}
			return parts;
		}

	}

	/** The outcome of reading the query: a request, or the parameter at fault and why. */
	public sealed interface Parsed {

		record Ok(ThrottleRequest request) implements Parsed {
		}

		record Invalid(String parameter, String message) implements Parsed {
		}

	}

}
