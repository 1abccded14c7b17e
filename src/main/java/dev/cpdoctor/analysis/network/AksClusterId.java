package dev.cpdoctor.analysis.network;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AKS cluster's Azure identity, read strictly from its ARM resource id. Each part is
 * checked against Azure's naming rules (restricted to ASCII), so a value that passes can
 * be put in single quotes on a shell line without changing its meaning: none of them can
 * hold a quote, a space, $, `, ; or a line break.
 *
 * @param subscription the subscription GUID
 * @param resourceGroup 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'
 * @param name the managed cluster's name: 1-63 letters, digits, '_' or '-', starting and
 * ending with a letter or digit
 */
public record AksClusterId(String subscription, String resourceGroup, String name) {

	static final Pattern SUBSCRIPTION = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	static final Pattern RESOURCE_GROUP = Pattern.compile("[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]");

	static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");

	private static final Pattern RESOURCE_ID = Pattern.compile(
			"/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters/([^/]+)",
			Pattern.CASE_INSENSITIVE);

	public AksClusterId {
		require(subscription, SUBSCRIPTION, "subscription id (a GUID)");
		require(resourceGroup, RESOURCE_GROUP, "resource group name");
		require(name, CLUSTER_NAME, "AKS cluster name");
	}

	/**
	 * The identity in a resource id such as
	 * {@code /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>};
	 * empty when it is not one or any part breaks Azure's naming rules.
	 */
	public static Optional<AksClusterId> fromResourceId(String resourceId) {
		if (resourceId == null || resourceId.length() > 512) {
			return Optional.empty();
		}
		Matcher matcher = RESOURCE_ID.matcher(resourceId);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		try {
			return Optional.of(new AksClusterId(matcher.group(1), matcher.group(2), matcher.group(3)));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static void require(String value, Pattern pattern, String what) {
		if (value == null || !pattern.matcher(value).matches()) {
			throw new IllegalArgumentException("Not a valid " + what);
		}
	}

}
