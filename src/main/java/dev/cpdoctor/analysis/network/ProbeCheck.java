package dev.cpdoctor.analysis.network;

import java.util.Objects;

/**
 * One line of a verbose apiserver probe: {@code [+]etcd ok},
 * {@code [-]etcd failed: reason withheld} or {@code [+]etcd excluded: ok}.
 *
 * @param name the check's name, e.g. "etcd" or
 * "poststarthook/start-apiserver-admission-initializer"
 * @param ok the line started with [+]
 * @param detail the rest of the line after the name ("ok", "failed: reason withheld",
 * "excluded: ok")
 */
public record ProbeCheck(String name, boolean ok, String detail) {

	public ProbeCheck {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(detail, "detail");
	}

	/**
	 * The apiserver was told to skip this check ({@code ?exclude=}): its [+] says
	 * nothing.
	 */
	public boolean excluded() {
		return this.detail.startsWith("excluded");
	}

}
