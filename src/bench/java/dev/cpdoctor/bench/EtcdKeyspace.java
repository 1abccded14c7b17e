package dev.cpdoctor.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;

import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.source.etcd.EtcdTestServer;

/**
 * A /registry-shaped keyspace: key i's resource comes from a cycle of 1000 slots shared
 * out by weight (slot i * 617 mod 1000), so any run of keys 0..n has the same mix; its
 * namespace, name and value size come from a hash of i. Remembers what etcd accepted, per
 * prefix.
 */
final class EtcdKeyspace {

	/**
	 * What one load put: keys and value bytes etcd acknowledged, and how long it took.
	 */
	record Load(long keys, long valueBytes, long nanos) {
	}

	/** prefix, weight per 1000 keys, namespaced, smallest and largest value. */
	record Resource(String prefix, int weight, boolean namespaced, int minValue, int maxValue) {
	}

	static final List<Resource> RESOURCES = List.of(
			new Resource("reports.kyverno.io/ephemeralreports", 450, true, 300, 600),
			new Resource("events", 150, true, 150, 400), new Resource("pods", 80, true, 400, 600),
			new Resource("replicasets", 50, true, 300, 600), new Resource("configmaps", 40, true, 100, 600),
			new Resource("secrets", 40, true, 100, 500), new Resource("endpointslices", 30, true, 200, 500),
			new Resource("services/endpoints", 15, true, 150, 400), new Resource("services/specs", 15, true, 200, 400),
			new Resource("serviceaccounts", 20, true, 100, 200), new Resource("rolebindings", 20, true, 150, 300),
			new Resource("deployments", 15, true, 400, 600), new Resource("jobs", 20, true, 300, 600),
			new Resource("leases", 10, true, 100, 200), new Resource("controllerrevisions", 10, true, 200, 600),
			new Resource("persistentvolumeclaims", 5, true, 200, 400),
			new Resource("horizontalpodautoscalers", 3, true, 200, 400),
			new Resource("networkpolicies", 7, true, 150, 400), new Resource("minions", 2, false, 400, 600),
			new Resource("clusterroles", 4, false, 200, 600), new Resource("clusterrolebindings", 4, false, 150, 300),
			new Resource("apiextensions.k8s.io/customresourcedefinitions", 2, false, 400, 600),
			new Resource("persistentvolumes", 5, false, 300, 500),
			new Resource("cert-manager.io/certificates", 3, true, 300, 600));

	static final int NAMESPACES = 300;

	private static final int BATCH = 100;

	private static final int IN_FLIGHT = 16;

	private final Resource[] slots = new Resource[1000];

	/** Random bytes that values are cut from. */
	private final byte[] noise = new byte[1 << 20];

	/** prefix -> {keys, value bytes} etcd accepted */
	private final Map<String, long[]> written = new TreeMap<>();

	private long keys;

	private long keyBytes;

	private long valueBytes;

	EtcdKeyspace() {
		int slot = 0;
		for (Resource r : RESOURCES) {
			for (int i = 0; i < r.weight(); i++) {
				this.slots[slot++] = r;
			}
		}
		if (slot != 1000) {
			throw new IllegalStateException("weights add up to " + slot);
		}
		new Random(20261123).nextBytes(this.noise);
	}

	Resource resource(long i) {
		return this.slots[(int) ((i * 617) % 1000)];
	}

	String key(long i) {
		Resource r = resource(i);
		long h = mix(i);
		StringBuilder key = new StringBuilder(96).append("/registry/").append(r.prefix()).append('/');
		if (r.namespaced()) {
			// the leak sits mostly in five CI namespaces
			if (r.weight() == 450 && (h & 0xff) < 180) {
				key.append("ci-runner-").append((h >>> 8) % 5);
			}
			else {
				key.append("team-").append((h >>> 16) % NAMESPACES);
			}
			key.append('/');
		}
		String kind = r.prefix().substring(r.prefix().lastIndexOf('/') + 1);
		return key.append(kind, 0, Math.min(kind.length(), 12))
			.append('-')
			.append(Long.toString((h >>> 24) & 0xfffff, 36))
			.append('-')
			.append(Long.toString(i, 36))
			.toString();
	}

	byte[] value(long i) {
		Resource r = resource(i);
		long h = mix(i ^ 0x5bd1e995L);
		int size = r.minValue() + (int) ((h & 0x7fffffff) % (r.maxValue() - r.minValue() + 1));
		byte[] value = new byte[size];
		System.arraycopy(this.noise, (int) ((h >>> 32) % (this.noise.length - size)), value, 0, size);
		value[0] = 'k';
		value[1] = '8';
		value[2] = 's';
		value[3] = 0;
		return value;
	}

	static long mix(long z) {
		z = (z + 0x9e3779b97f4a7c15L);
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	/**
	 * Puts keys from..to-1 in transactions of 100, 16 in flight; counts what etcd
	 * acknowledged.
	 */
	Load load(EtcdTestServer etcd, long from, long to) throws Exception {
		long t0 = System.nanoTime();
		long keysBefore = this.keys;
		long bytesBefore = this.valueBytes;
		Semaphore inFlight = new Semaphore(IN_FLIGHT);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
			for (long start = from; start < to && failure.get() == null; start += BATCH) {
				int n = (int) Math.min(BATCH, to - start);
				Op[] ops = new Op[n];
				String[] names = new String[n];
				int[] sizes = new int[n];
				for (int k = 0; k < n; k++) {
					names[k] = key(start + k);
					byte[] value = value(start + k);
					sizes[k] = value.length;
					ops[k] = Op.put(ByteSequence.from(names[k], StandardCharsets.UTF_8), ByteSequence.from(value),
							PutOption.DEFAULT);
				}
				inFlight.acquire();
				CompletableFuture<?> txn = client.getKVClient().txn().Then(ops).commit();
				txn.whenComplete((response, error) -> {
					if (error != null) {
						failure.compareAndSet(null, error);
					}
					else {
						count(names, sizes);
					}
					inFlight.release();
				});
			}
			if (!inFlight.tryAcquire(IN_FLIGHT, 2, TimeUnit.MINUTES)) {
				throw new IllegalStateException("the last transactions got no answer in 2 minutes");
			}
		}
		if (failure.get() != null) {
			throw new IllegalStateException("loading etcd failed: " + failure.get(), failure.get());
		}
		return new Load(this.keys - keysBefore, this.valueBytes - bytesBefore, System.nanoTime() - t0);
	}

	private synchronized void count(String[] names, int[] sizes) {
		for (int k = 0; k < names.length; k++) {
			String prefix = resourcePrefix(names[k]);
			long[] c = this.written.computeIfAbsent(prefix, (p) -> new long[2]);
			c[0]++;
			c[1] += sizes[k];
			this.keys++;
			this.keyBytes += names[k].length();
			this.valueBytes += sizes[k];
		}
	}

	/**
	 * The loader's own idea of the prefix: the resource it was written as (the
	 * two-segment ones by name).
	 */
	private static String resourcePrefix(String key) {
		String rest = key.substring("/registry/".length());
		int slash = rest.indexOf('/');
		String first = rest.substring(0, slash);
		if (first.contains(".") || first.equals("services")) {
			return rest.substring(0, rest.indexOf('/', slash + 1));
		}
		return first;
	}

	/**
	 * What differs between the scan's prefixes and what was written; empty when they
	 * agree.
	 */
	synchronized List<String> compare(KeyspaceUsage usage) {
		List<String> diff = new ArrayList<>();
		Map<String, long[]> scanned = new TreeMap<>();
		for (PrefixUsage p : usage.prefixes()) {
			scanned.put(p.resourcePrefix(), new long[] { p.keys(), p.valueBytes() });
		}
		if (!scanned.keySet().equals(this.written.keySet())) {
			diff.add("prefixes scanned " + scanned.keySet() + " vs written " + this.written.keySet());
		}
		this.written.forEach((prefix, c) -> {
			long[] s = scanned.get(prefix);
			if (s == null || s[0] != c[0] || s[1] != c[1]) {
				diff.add(prefix + ": scanned " + ((s == null) ? "nothing" : s[0] + " keys " + s[1] + " bytes")
						+ ", written " + c[0] + " keys " + c[1] + " bytes");
			}
		});
		return diff;
	}

	synchronized long keys() {
		return this.keys;
	}

	synchronized long keyBytes() {
		return this.keyBytes;
	}

	synchronized long valueBytes() {
		return this.valueBytes;
	}

}
