package dev.cpdoctor.analysis.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyspaceTallyTests {

	private static void add(KeyspaceTally tally, String key, long bytes) {
		tally.add(key.getBytes(StandardCharsets.UTF_8), bytes);
	}

	private static KeyspaceUsage result(KeyspaceTally tally) {
		return tally.result(42, 1, 500, Instant.EPOCH, Duration.ZERO);
	}

	@Test
	void countsPerPrefixAndNamespaceLargestFirst() {
		KeyspaceTally tally = new KeyspaceTally();
		add(tally, "/registry/pods/a/p1", 100);
		add(tally, "/registry/pods/b/p2", 300);
		add(tally, "/registry/pods/b/p3", 1);
		add(tally, "/registry/kyverno.io/ephemeralreports/leak/r1", 1000);
		add(tally, "/registry/minions/n1", 50);
		add(tally, "/elsewhere", 7);
		KeyspaceUsage usage = result(tally);
		assertThat(usage.keys()).isEqualTo(6);
		assertThat(usage.valueBytes()).isEqualTo(1458);
		assertThat(usage.revision()).isEqualTo(42);
		assertThat(usage.prefixes()).extracting(PrefixUsage::resourcePrefix)
			.containsExactly("kyverno.io/ephemeralreports", "pods", "minions", RegistryKey.OUTSIDE_PREFIX);
		PrefixUsage pods = usage.prefix("pods").orElseThrow();
		assertThat(pods.keys()).isEqualTo(3);
		assertThat(pods.valueBytes()).isEqualTo(401);
		assertThat(pods.namespaces()).containsExactly(new NamespaceUsage("b", 2, 301), new NamespaceUsage("a", 1, 100));
		assertThat(usage.prefix("minions").orElseThrow().namespaces()).containsExactly(new NamespaceUsage(null, 1, 50));
		assertThat(usage.prefix("minions").orElseThrow().resource()).isEqualTo("nodes");
	}

	@Test
	void equalBytesAreOrderedByKeysThenName() {
		KeyspaceTally tally = new KeyspaceTally();
		add(tally, "/registry/secrets/a/s", 10);
		add(tally, "/registry/configmaps/a/c1", 5);
		add(tally, "/registry/configmaps/a/c2", 5);
		add(tally, "/registry/leases/a/l", 10);
		assertThat(result(tally).prefixes()).extracting(PrefixUsage::resourcePrefix)
			.containsExactly("configmaps", "leases", "secrets");
	}

	@Test
	void holdsOneCounterPerPrefixAndNamespaceHoweverManyKeys() {
		KeyspaceTally tally = new KeyspaceTally();
		for (int i = 0; i < 10_000; i++) {
			add(tally, "/registry/events/ns" + (i % 3) + "/e" + i, 10);
		}
		assertThat(tally.buckets()).isEqualTo(3);
		assertThat(tally.keys()).isEqualTo(10_000);
	}

}
