package dev.cpdoctor.source.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

import dev.cpdoctor.analysis.etcd.NamespaceUsage;
import dev.cpdoctor.analysis.etcd.RegistryLayout;

/**
 * Writes /registry-shaped keys into a test etcd in transactions of up to 100 puts, and
 * remembers what it committed: keys and value bytes per resource prefix and namespace,
 * computed here, independently of the product's tally. A transaction answered with
 * NOSPACE is counted only if etcd applied it anyway. Only tests write; the product never
 * does.
 */
public final class EtcdWrites {

	private final Client client;

	private final Random random = new Random(20261123);

	/** prefix -> namespace ("" for cluster-scoped) -> {keys, bytes} */
	private final Map<String, Map<String, long[]>> written = new HashMap<>();

	private final List<String[]> batch = new ArrayList<>();

	private final List<byte[]> values = new ArrayList<>();

	public EtcdWrites(Client client) {
		this.client = client;
	}

	/**
	 * A value like an apiserver object: the k8s protobuf magic, then bytes that do not
	 * compress.
	 */
	byte[] value(int size) {
		byte[] value = new byte[size];
		this.random.nextBytes(value);
		value[0] = 'k';
		value[1] = '8';
		value[2] = 's';
		value[3] = 0;
		return value;
	}

	/** Queues a put; commits when 100 are queued. */
	public void put(String key, int valueSize) throws Exception {
		this.batch.add(new String[] { key });
		this.values.add(value(valueSize));
		if (this.batch.size() == 100) {
			commit();
		}
	}

	/**
	 * Commits the queued puts in one transaction. @throws Exception etcd's refusal, e.g.
	 * NOSPACE
	 */
	public void commit() throws Exception {
		if (this.batch.isEmpty()) {
			return;
		}
		Op[] ops = new Op[this.batch.size()];
		for (int i = 0; i < ops.length; i++) {
			ops[i] = Op.put(key(this.batch.get(i)[0]), ByteSequence.from(this.values.get(i)), PutOption.DEFAULT);
		}
		try {
			this.client.getKVClient().txn().Then(ops).commit().get(30, TimeUnit.SECONDS);
			countBatch();
		}
		catch (Exception ex) {
			// etcd checks the quota twice: before raft (nothing applied) and again when
			// applying, where the transaction that crosses the quota IS applied and still
			// answered with NOSPACE. A transaction is atomic, so its first key tells
			// which one happened.
			long found = this.client.getKVClient()
				.get(key(this.batch.get(0)[0]), GetOption.builder().withCountOnly(true).build())
				.get(30, TimeUnit.SECONDS)
				.getCount();
			if (found > 0) {
				countBatch();
			}
			throw ex;
		}
		finally {
			this.batch.clear();
			this.values.clear();
		}
	}

	private void countBatch() {
		for (int i = 0; i < this.batch.size(); i++) {
			count(this.batch.get(i)[0], this.values.get(i).length);
		}
	}

	private void count(String key, long bytes) {
		var where = RegistryLayout.parse(key);
		long[] counter = this.written.computeIfAbsent(where.resourcePrefix(), (p) -> new HashMap<>())
			.computeIfAbsent((where.namespace() != null) ? where.namespace() : "", (n) -> new long[2]);
		counter[0]++;
		counter[1] += bytes;
	}

	public long keys(String prefix) {
		return this.written.getOrDefault(prefix, Map.of()).values().stream().mapToLong((c) -> c[0]).sum();
	}

	public long bytes(String prefix) {
		return this.written.getOrDefault(prefix, Map.of()).values().stream().mapToLong((c) -> c[1]).sum();
	}

	public NamespaceUsage namespace(String prefix, String namespace) {
		long[] c = this.written.get(prefix).get((namespace != null) ? namespace : "");
		return new NamespaceUsage(namespace, c[0], c[1]);
	}

	long totalKeys() {
		return this.written.keySet().stream().mapToLong(this::keys).sum();
	}

	long totalBytes() {
		return this.written.keySet().stream().mapToLong(this::bytes).sum();
	}

	Set<String> prefixes() {
		return this.written.keySet();
	}

	static ByteSequence key(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
