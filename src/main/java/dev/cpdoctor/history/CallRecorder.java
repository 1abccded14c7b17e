package dev.cpdoctor.history;

import dev.cpdoctor.analysis.network.OwnCall;

/**
 * Where the dashboard's own calls to apiservers go as they end. An implementation returns
 * at once and never throws: recording must never slow down or fail the call it records.
 */
@FunctionalInterface
public interface CallRecorder {

	/** Records nothing. */
	CallRecorder NONE = (call) -> {
	};

	void record(OwnCall call);

}
