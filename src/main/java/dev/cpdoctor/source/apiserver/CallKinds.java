package dev.cpdoctor.source.apiserver;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an apiserver call asks, in a few words of few values, from its method and path:
 * "metrics", "readyz", "version", "discovery flowcontrol.apiserver.k8s.io", "list
 * validatingwebhookconfigurations", "get namespaces". Names of namespaces and objects,
 * query strings and hosts never appear: a history keyed by them would grow with every
 * object.
 */
final class CallKinds {

	/**
	 * An API group, version or resource as Kubernetes spells them; anything else is not
	 * named.
	 */
	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,62})?");

	private static final List<String> NON_RESOURCE = List.of("metrics", "readyz", "livez", "healthz", "version",
			"openapi");

	private CallKinds() {
	}

	static String of(String method, String encodedPath) {
		List<String> segments = Arrays.stream(encodedPath.split("/")).filter((s) -> !s.isEmpty()).toList();
		if (segments.isEmpty()) {
			return "discovery";
		}
		String first = segments.get(0);
		if (NON_RESOURCE.contains(first)) {
			return first;
		}
		List<String> rest;
		String group;
		if (first.equals("api")) {
			if (segments.size() <= 2) {
				return "discovery";
			}
			group = "";
			rest = segments.subList(2, segments.size());
		}
		else if (first.equals("apis")) {
			if (segments.size() <= 3) {
				return (segments.size() == 1) ? "discovery" : named("discovery", segments.get(1));
			}
			group = segments.get(1);
			rest = segments.subList(3, segments.size());
		}
		else {
			return "other";
		}
		if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
			rest = rest.subList(2, rest.size());
		}
		String resource = (rest.size() >= 3) ? rest.get(0) + "/" + rest.get(2) : rest.get(0);
		if (!NAME.matcher(rest.get(0)).matches() || (rest.size() >= 3 && !NAME.matcher(rest.get(2)).matches())
				|| (!group.isEmpty() && !NAME.matcher(group).matches())) {
			return "other";
		}
		return verb(method, rest.size() == 1) + " " + resource;
	}

	private static String named(String prefix, String name) {
		return NAME.matcher(name).matches() ? prefix + " " + name : prefix;
	}

	private static String verb(String method, boolean collection) {
		return switch (method.toUpperCase(Locale.ROOT)) {
			case "GET" -> collection ? "list" : "get";
			case "POST" -> "create";
			case "PUT" -> "update";
			case "PATCH" -> "patch";
			case "DELETE" -> collection ? "deletecollection" : "delete";
			default -> "other";
		};
	}

}
