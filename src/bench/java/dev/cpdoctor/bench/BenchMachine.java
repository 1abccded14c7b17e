package dev.cpdoctor.bench;

import java.lang.management.ManagementFactory;

/**
 * What every benchmark prints about the machine it ran on, and how it says a target was
 * met.
 */
final class BenchMachine {

	private BenchMachine() {
	}

	/** The JVM's collectors, e.g. "G1 Young Generation+G1 Old Generation". */
	static String gcNames() {
		return String.join("+",
				ManagementFactory.getGarbageCollectorMXBeans().stream().map((gc) -> gc.getName()).toList());
	}

	/** The 1-minute load average: other work on a shared machine slows every tool. */
	static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	static String verdict(boolean pass) {
		return pass ? "PASS" : "FAIL";
	}

}
