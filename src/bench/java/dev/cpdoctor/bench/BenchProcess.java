package dev.cpdoctor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.management.OperatingSystemMXBean;

/**
 * What the etcd scan benchmark reads about processes on Linux: CPU time of this JVM and
 * of another process (/proc/PID/stat), this JVM's peak RSS (VmHWM, reset through
 * /proc/self/clear_refs) and heap in use, and a command's first line of output.
 */
final class BenchProcess {

	private static final long CLOCK_TICKS = clockTicks();

	private BenchProcess() {
	}

	/** This JVM's CPU time, GC and JIT included; -1 where there is none. */
	static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	/** A process's user + system CPU time from /proc/PID/stat; -1 where there is none. */
	static long cpuNanos(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// after "pid (comm) ": state is field 3, utime 14 and stime 15
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1_000_000_000L / CLOCK_TICKS;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static long clockTicks() {
		try {
			return Long.parseLong(firstLine("getconf CLK_TCK"));
		}
		catch (RuntimeException ex) {
			return 100;
		}
	}

	static long heapUsed() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * Resets this process's peak RSS (VmHWM), Linux 4.0+; false where that is not
	 * possible.
	 */
	static boolean resetPeakRss() {
		try {
			Files.writeString(Path.of("/proc/self/clear_refs"), "5");
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** This process's peak RSS (VmHWM) in bytes; -1 where there is none. */
	static long peakRss() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

	/** The first line a shell command prints, "?" when it cannot run. */
	static String firstLine(String command) {
		try {
			Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return out.lines().findFirst().orElse("?").trim();
		}
		catch (IOException | InterruptedException ex) {
			return "?";
		}
	}

}
