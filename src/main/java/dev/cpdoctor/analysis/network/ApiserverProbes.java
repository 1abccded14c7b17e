package dev.cpdoctor.analysis.network;

import java.util.Objects;

/**
 * Both probes of one apiserver, taken together.
 *
 * @param readyz /readyz?verbose: whether it serves traffic (etcd, informers, shutdown...)
 * @param livez /livez?verbose: whether the process is alive (a failing livez gets it
 * restarted)
 */
public record ApiserverProbes(ApiserverProbe readyz, ApiserverProbe livez) {

	public ApiserverProbes {
		Objects.requireNonNull(readyz, "readyz");
		Objects.requireNonNull(livez, "livez");
	}

	public boolean bothPassed() {
		return this.readyz.passed() && this.livez.passed();
	}

}
