package dev.cpdoctor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A large apiserver /metrics body made from a real scrape: the real body as it is, plus
 * thousands of custom resources, each with the series a real resource has in every family
 * that carries a {@code resource} label (request latency and counts, etcd latency, watch
 * cache, object counts, size estimates...). Deterministic for a seed.
 * <p>
 * Every family keeps its HELP and TYPE lines and its real samples; the synthetic series
 * follow its real ones. Most custom resources are idle (only object count and size
 * estimate), the others copy the series of a real resource (mostly lightly used ones)
 * with their values scaled, so histogram buckets stay cumulative, and add a few error
 * codes to apiserver_request_total.
 */
final class ScaledApiserverScrape {

	/** Families with one series per resource: object counts and size estimates. */
	private static final Set<String> INVENTORY = Set.of("apiserver_resource_objects", "apiserver_storage_objects",
			"apiserver_resource_size_estimate_bytes", "etcd_object_counts");

	private static final Pattern RESOURCE = Pattern.compile("([{,])resource=\"([^\"]*)\"");

	private static final Pattern GROUP = Pattern.compile("([{,])group=\"([^\"]*)\"");

	private static final Pattern CODE = Pattern.compile("([{,])code=\"(200|201)\"");

	private static final String[] GROUPS = { "kyverno.io", "reports.kyverno.io", "wgpolicyk8s.io", "cert-manager.io",
			"acme.cert-manager.io", "monitoring.coreos.com", "argoproj.io", "networking.istio.io", "security.istio.io",
			"cilium.io", "snapshot.storage.k8s.io", "velero.io", "external-secrets.io", "keda.sh", "karpenter.sh",
			"tekton.dev", "postgresql.cnpg.io", "kafka.strimzi.io", "gateway.networking.k8s.io", "traefik.io",
			"source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io" };

	private static final String[] SERVICES = { "ec2", "s3", "iam", "rds", "eks", "elasticache", "route53", "lambda",
			"sqs", "sns", "kms", "dynamodb", "cloudwatch", "elbv2", "ecr", "efs", "secretsmanager", "apigateway",
			"network", "compute", "storage", "sql", "containerservice", "keyvault", "dns", "cache", "monitor",
			"authorization", "servicebus", "eventhub", "cosmosdb", "pubsub", "container", "cloudplatform" };

	private static final String[] PROVIDERS = { "aws.upbound.io", "azure.upbound.io", "gcp.upbound.io" };

	private static final String[] WORDS = { "route", "table", "association", "policy", "attachment", "endpoint",
			"gateway", "subnet", "instance", "cluster", "bucket", "role", "user", "group", "key", "secret",
			"certificate", "listener", "rule", "target", "zone", "record", "peering", "volume", "snapshot", "backup",
			"queue", "topic", "subscription", "function", "alias", "permission", "database", "parameter", "account",
			"workspace", "network", "firewall", "address", "pool", "node", "version", "replica", "configuration",
			"binding", "profile", "link", "grant", "template", "schedule" };

	/** Well known custom resources, some of them the known etcd offenders, first. */
	private static final String[][] KNOWN = { { "reports.kyverno.io", "ephemeralreports" },
			{ "reports.kyverno.io", "clusterephemeralreports" }, { "kyverno.io", "admissionreports" },
			{ "wgpolicyk8s.io", "policyreports" }, { "wgpolicyk8s.io", "clusterpolicyreports" },
			{ "cert-manager.io", "certificaterequests" }, { "cert-manager.io", "certificates" },
			{ "argoproj.io", "applications" }, { "monitoring.coreos.com", "servicemonitors" },
			{ "cilium.io", "ciliumendpoints" }, { "cilium.io", "ciliumidentities" } };

	private ScaledApiserverScrape() {
	}

	/** What was built: the body and how many custom resources it adds. */
	record Body(byte[] bytes, int customResources, int activeCustomResources) {
	}

	static Body build(Path realScrape, long targetBytes, long seed) throws IOException {
		List<Family> families = families(Files.readAllLines(realScrape, StandardCharsets.UTF_8));
		List<ResourceKey> templates = templatesLightestFirst(families);
		Random random = new Random(seed);
		long size = Files.size(realScrape);
		Set<ResourceKey> used = new HashSet<>();
		int count = 0;
		int active = 0;
		while (size < targetBytes) {
			ResourceKey crd = name(count, random, used);
			boolean busy = count < KNOWN.length || random.nextDouble() < 0.25;
			// Mostly lightly used resources as templates: 60 % from the lightest third.
			double pick = random.nextDouble();
			int third = templates.size() / 3;
			int index = (pick < 0.6) ? random.nextInt(third) : (pick < 0.9) ? third + random.nextInt(third)
					: 2 * third + random.nextInt(templates.size() - 2 * third);
			ResourceKey template = templates.get(index);
			double factor = Math.exp(Math.log(0.05) + random.nextDouble() * Math.log(100));
			long objects = objectCount(count, random);
			long bytesPerObject = 500 + random.nextInt(20_000);
			for (Family family : families) {
				size += family.addCustomResource(crd, busy ? template : null, factor, objects, bytesPerObject, random);
			}
			count++;
			if (busy) {
				active++;
			}
		}
		StringBuilder out = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, size + 1024));
		for (Family family : families) {
			family.appendTo(out);
		}
		return new Body(out.toString().getBytes(StandardCharsets.UTF_8), count, active);
	}

	private static List<Family> families(List<String> lines) {
		List<Family> families = new ArrayList<>();
		Family current = null;
		for (String line : lines) {
			if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
				String name = line.substring(7, line.indexOf(' ', 7) > 0 ? line.indexOf(' ', 7) : line.length());
				if (current == null || !current.name.equals(name) || !current.samples.isEmpty()) {
					current = new Family(name);
					families.add(current);
				}
				current.comments.add(line);
			}
			else {
				if (current == null) {
					current = new Family("");
					families.add(current);
				}
				current.add(line);
			}
		}
		return families;
	}

	/**
	 * The real resources (those with an object count), lightest (fewest series bytes)
	 * first.
	 */
	private static List<ResourceKey> templatesLightestFirst(List<Family> families) {
		Map<ResourceKey, Long> weight = new LinkedHashMap<>();
		for (Family family : families) {
			if (INVENTORY.contains(family.name)) {
				family.byResource.keySet().forEach((k) -> weight.putIfAbsent(k, 0L));
			}
		}
		for (Family family : families) {
			family.byResource.forEach((k, lines) -> weight.computeIfPresent(k,
					(key, w) -> w + lines.stream().mapToLong((l) -> l.length() + 1).sum()));
		}
		List<ResourceKey> keys = new ArrayList<>(weight.keySet());
		keys.sort(Comparator.comparing((ResourceKey k) -> weight.get(k)).thenComparing(ResourceKey::toString));
		return keys;
	}

	private static ResourceKey name(int index, Random random, Set<ResourceKey> used) {
		if (index < KNOWN.length) {
			ResourceKey key = new ResourceKey(KNOWN[index][0], KNOWN[index][1]);
			used.add(key);
			return key;
		}
		while (true) {
			String group = (random.nextInt(4) == 0) ? GROUPS[random.nextInt(GROUPS.length)]
					: SERVICES[random.nextInt(SERVICES.length)] + "." + PROVIDERS[random.nextInt(PROVIDERS.length)];
			StringBuilder resource = new StringBuilder();
			int words = 1 + random.nextInt(3);
			for (int i = 0; i < words; i++) {
				resource.append(WORDS[random.nextInt(WORDS.length)]);
			}
			String plural = resource.toString().endsWith("y") ? resource.substring(0, resource.length() - 1) + "ies"
					: resource.toString().endsWith("s") ? resource + "es" : resource + "s";
			ResourceKey key = new ResourceKey(group, plural);
			if (used.add(key)) {
				return key;
			}
		}
	}

	/**
	 * Heavy tailed: most resources hold a few objects, a few hold hundreds of thousands.
	 */
	private static long objectCount(int index, Random random) {
		if (index < 2) {
			return 150_000 + random.nextInt(100_000);
		}
		double p = random.nextDouble();
		if (p < 0.02) {
			return -1;
		}
		if (p < 0.70) {
			return random.nextInt(50);
		}
		if (p < 0.95) {
			return 50 + random.nextInt(5_000);
		}
		if (p < 0.99) {
			return 5_000 + random.nextInt(45_000);
		}
		return 50_000 + random.nextInt(250_000);
	}

	/** A resource as the scrape names it: group "" is the core group. */
	record ResourceKey(String group, String resource) {

		/**
		 * From a sample line: the group label, else resource="plural.group"
		 * (apiserver_storage_objects).
		 */
		static ResourceKey of(String line) {
			Matcher r = RESOURCE.matcher(line);
			if (!r.find() || r.group(2).isEmpty() || r.group(2).startsWith("/")) {
				return null;
			}
			String resource = r.group(2);
			Matcher g = GROUP.matcher(line);
			if (g.find()) {
				return new ResourceKey(g.group(2), resource);
			}
			int dot = resource.indexOf('.');
			return (dot < 0) ? new ResourceKey("", resource)
					: new ResourceKey(resource.substring(dot + 1), resource.substring(0, dot));
		}

		/** The line with this resource's labels. */
		String relabel(String line) {
			boolean hasGroup = GROUP.matcher(line).find();
			String resourceValue = (hasGroup || this.group.isEmpty()) ? this.resource
					: this.resource + "." + this.group;
			String relabelled = RESOURCE.matcher(line).replaceFirst("$1resource=\"" + resourceValue + "\"");
			return hasGroup ? GROUP.matcher(relabelled).replaceFirst("$1group=\"" + this.group + "\"") : relabelled;
		}

	}

	private static final class Family {

		final String name;

		final List<String> comments = new ArrayList<>();

		final List<String> samples = new ArrayList<>();

		/** Sample lines by the resource they are about, in file order. */
		final Map<ResourceKey, List<String>> byResource = new LinkedHashMap<>();

		final StringBuilder custom = new StringBuilder();

		Family(String name) {
			this.name = name;
		}

		void add(String line) {
			this.samples.add(line);
			if (!line.startsWith("#") && !line.isBlank()) {
				ResourceKey key = ResourceKey.of(line);
				if (key != null) {
					this.byResource.computeIfAbsent(key, (k) -> new ArrayList<>()).add(line);
				}
			}
		}

		/** Adds one custom resource's series; returns the bytes added. */
		long addCustomResource(ResourceKey crd, ResourceKey template, double factor, long objects, long bytesPerObject,
				Random random) {
			int before = this.custom.length();
			if (INVENTORY.contains(this.name)) {
				if (!this.byResource.isEmpty()) {
					String line = crd.relabel(this.byResource.values().iterator().next().get(0));
					long value = this.name.equals("apiserver_resource_size_estimate_bytes")
							? ((objects < 0 || random.nextInt(20) == 0) ? -1 : objects * bytesPerObject) : objects;
					this.custom.append(withValue(line, Long.toString(value))).append('\n');
				}
			}
			else if (template != null) {
				Set<String> added = new HashSet<>();
				for (String line : this.byResource.getOrDefault(template, List.of())) {
					String relabelled = withValue(crd.relabel(line), scaled(value(line), factor));
					this.custom.append(relabelled).append('\n');
					if (this.name.equals("apiserver_request_total") && random.nextDouble() < 0.3) {
						errorCode(relabelled, factor, random, added);
					}
				}
			}
			return this.custom.length() - before;
		}

		/**
		 * A failing twin of a 200/201 series: 422, 429, 503 or 504, never twice for one
		 * series.
		 */
		private void errorCode(String line, double factor, Random random, Set<String> added) {
			Matcher code = CODE.matcher(line);
			if (!code.find()) {
				return;
			}
			String error = new String[] { "422", "429", "503", "504" }[random.nextInt(4)];
			String twin = code.replaceFirst("$1code=\"" + error + "\"");
			String series = twin.substring(0, twin.lastIndexOf(' '));
			if (added.add(series)) {
				long count = Math.max(1, Math.round(factor * (1 + random.nextInt(40))));
				this.custom.append(withValue(twin, Long.toString(count))).append('\n');
			}
		}

		void appendTo(StringBuilder out) {
			this.comments.forEach((line) -> out.append(line).append('\n'));
			this.samples.forEach((line) -> out.append(line).append('\n'));
			out.append(this.custom);
		}

		private static String value(String line) {
			return line.substring(line.lastIndexOf(' ') + 1);
		}

		private static String withValue(String line, String value) {
			return line.substring(0, line.lastIndexOf(' ') + 1) + value;
		}

		/** Counts stay integers; NaN, infinities and -1 (unknown) stay as they are. */
		private static String scaled(String value, double factor) {
			if (value.equals("NaN") || value.endsWith("Inf") || value.startsWith("-")) {
				return value;
			}
			double v = Double.parseDouble(value);
			boolean integer = value.indexOf('.') < 0 && value.indexOf('e') < 0 && value.indexOf('E') < 0;
			if (integer) {
				// At least 1 where the real count is, so a _count never drops to 0 under
				// a non-zero _sum.
				return Long.toString((v >= 1) ? Math.max(1, Math.round(v * factor)) : 0);
			}
			String text = String.format(Locale.ROOT, "%.9g", v * factor);
			int e = text.indexOf('e');
			String mantissa = (e < 0) ? text : text.substring(0, e);
			if (mantissa.indexOf('.') >= 0) {
				mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
			}
			return (e < 0) ? mantissa : mantissa + text.substring(e);
		}

	}

}
