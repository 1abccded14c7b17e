package dev.cpdoctor.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The most heap in use when a GC began, and the most left after one, from GC
 * notifications, in all and by quarter of the watched time; the heap pools' own peaks.
 * Shared by the audit ingest and etcd scan benchmarks.
 */
final class HeapWatch {

	private static final double MIB = 1024.0 * 1024.0;

	private final AtomicLong peakBeforeGc = new AtomicLong();

	private final AtomicLong maxAfterGc = new AtomicLong();

	private final AtomicLong collections = new AtomicLong();

	/** Per quarter of the watched time, the most heap left after a GC in it. */
	private final long[] liveByQuarter = new long[4];

	/** After-GC heap use, stamped with nanoTime; sorted into quarters at stop. */
	private final List<long[]> afterGc = Collections.synchronizedList(new ArrayList<>());

	private long startNanos;

	private final NotificationListener listener = (notification, handback) -> {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		this.peakBeforeGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
		long after = heapUsed(info.getGcInfo().getMemoryUsageAfterGc());
		this.maxAfterGc.accumulateAndGet(after, Math::max);
		this.afterGc.add(new long[] { System.nanoTime(), after });
		this.collections.incrementAndGet();
	};

	private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((p) -> p.getType() == MemoryType.HEAP)
		.toList();

	private Map<String, Long> poolPeaks = Map.of();

	void start() {
		System.gc();
		this.heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
		this.startNanos = System.nanoTime();
		ManagementFactory.getGarbageCollectorMXBeans()
			.forEach((gc) -> ((NotificationEmitter) gc).addNotificationListener(this.listener, null, null));
	}

	void stop() {
		long stopNanos = System.nanoTime();
		long now = this.heapPools.stream().mapToLong((p) -> p.getUsage().getUsed()).sum();
		this.peakBeforeGc.accumulateAndGet(now, Math::max);
		synchronized (this.afterGc) {
			for (long[] sample : this.afterGc) {
				int quarter = (int) Math.min(3,
						4 * (sample[0] - this.startNanos) / Math.max(1, stopNanos - this.startNanos));
				this.liveByQuarter[quarter] = Math.max(this.liveByQuarter[quarter], sample[1]);
			}
		}
		Map<String, Long> peaks = new LinkedHashMap<>();
		this.heapPools.forEach((p) -> peaks.put(p.getName(), p.getPeakUsage().getUsed()));
		this.poolPeaks = peaks;
		ManagementFactory.getGarbageCollectorMXBeans().forEach((gc) -> {
			try {
				((NotificationEmitter) gc).removeNotificationListener(this.listener);
			}
			catch (ListenerNotFoundException ex) {
				// not added: nothing to remove
			}
		});
	}

	private long heapUsed(Map<String, MemoryUsage> usage) {
		long sum = 0;
		for (MemoryPoolMXBean pool : this.heapPools) {
			MemoryUsage u = usage.get(pool.getName());
			if (u != null) {
				sum += u.getUsed();
			}
		}
		return sum;
	}

	long peakBeforeGc() {
		return this.peakBeforeGc.get();
	}

	long maxAfterGc() {
		return this.maxAfterGc.get();
	}

	long collections() {
		return this.collections.get();
	}

	long[] liveByQuarter() {
		return this.liveByQuarter.clone();
	}

	/**
	 * Whether the live set stopped growing: the last quarter holds no more than a quarter
	 * above the second. A heap that grows with the input passes "under 512 MB" on a small
	 * file only.
	 */
	boolean looksBounded() {
		long second = this.liveByQuarter[1];
		long last = this.liveByQuarter[3];
		return last <= 64 * MIB || (second > 0 && last <= second * 1.25);
	}

	String poolPeaks() {
		StringBuilder sb = new StringBuilder();
		this.poolPeaks.forEach((name, used) -> sb.append(sb.length() > 0 ? ", " : "")
			.append(name)
			.append(' ')
			.append(String.format("%,.0f MiB", used / MIB)));
		return sb.toString();
	}

}
