package dev.cpdoctor.architecture.web;

import dev.cpdoctor.architecture.analysis.Lower;

/** A fixture of ArchitectureTests: uses the lower layer, which uses it back (a cycle). */
public final class Upper {

	public Lower down() {
		return new Lower();
	}

}
