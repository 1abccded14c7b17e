package dev.cpdoctor.source;

import java.util.Optional;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;

/** The window a page shows when its URL names none; empty means the last hour. */
@FunctionalInterface
public interface DefaultWindows {

	Optional<TimeWindow> defaultWindow(Cluster cluster);

}
