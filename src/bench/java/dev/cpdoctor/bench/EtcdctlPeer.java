package dev.cpdoctor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cpdoctor.source.etcd.EtcdTestServer;

import static dev.cpdoctor.bench.BenchProcess.cpuNanos;
import static dev.cpdoctor.bench.EtcdScanReport.mib;

/**
 * The etcd scan benchmark's peer: etcdctl through bash with ETCDCTL_API=3, its output
 * counted by {@code wc}, under /usr/bin/time -v for its peak RSS and CPU time when there
 * is one, with etcd's CPU time over the same run.
 */
final class EtcdctlPeer {

	private EtcdctlPeer() {
	}

	/**
	 * @param output what the counting command printed (lines or bytes)
	 */
	record Tool(long nanos, long output, long rssBytes, long cpuNanos, long etcdCpuNanos) {
	}

	/** etcdctl: $ETCDCTL_BINARY, else the one beside etcd, else the one on the PATH. */
	static Path binary(Path etcd) {
		String configured = System.getenv("ETCDCTL_BINARY");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		Path sibling = etcd.resolveSibling("etcdctl");
		return Files.isExecutable(sibling) ? sibling : Path.of("etcdctl");
	}

	/**
	 * {@code etcdctl --endpoints=... ARGS | COUNT} through bash, under /usr/bin/time -v
	 * when there is one.
	 */
	static Tool run(Path etcdctl, EtcdTestServer etcd, String args, String count) throws Exception {
		Path timeOut = Files.createTempFile("etcdctl-time", ".txt");
		try {
			boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
			String command = "set -o pipefail; export ETCDCTL_API=3; "
					+ (timed ? "/usr/bin/time -v -o '" + timeOut + "' " : "") + etcdctl + " --endpoints="
					+ etcd.endpoint() + " --command-timeout=600s " + args + " | " + count;
			long etcdCpu0 = cpuNanos(etcd.pid());
			long t0 = System.nanoTime();
			Process process = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			int exit = process.waitFor();
			long nanos = System.nanoTime() - t0;
			long etcdCpu = cpuNanos(etcd.pid()) - etcdCpu0;
			if (exit != 0) {
				throw new IllegalStateException("`" + command + "` exited " + exit);
			}
			long rss = -1;
			long cpu = -1;
			if (timed) {
				String report = Files.readString(timeOut);
				Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(report);
				if (m.find()) {
					rss = Long.parseLong(m.group(1)) * 1024;
				}
				Matcher user = Pattern.compile("User time \\(seconds\\): ([\\d.]+)").matcher(report);
				Matcher system = Pattern.compile("System time \\(seconds\\): ([\\d.]+)").matcher(report);
				if (user.find() && system.find()) {
					cpu = (long) ((Double.parseDouble(user.group(1)) + Double.parseDouble(system.group(1))) * 1e9);
				}
			}
			long output = Long.parseLong(out);
			System.out.printf("etcdctl %-42s %,12d in %6.2f s, peak RSS %s%n", args + " | " + count, output,
					nanos / 1e9, mib(rss));
			return new Tool(nanos, output, rss, cpu, etcdCpu);
		}
		finally {
			Files.deleteIfExists(timeOut);
		}
	}

}
