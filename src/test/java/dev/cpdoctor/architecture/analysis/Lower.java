package dev.cpdoctor.architecture.analysis;

import dev.cpdoctor.architecture.web.Upper;

/**
 * A fixture of ArchitectureTests: a lower layer reaching up, which the layer rules must
 * refuse.
 */
public final class Lower {

	public Upper up() {
		return new Upper();
	}

}
