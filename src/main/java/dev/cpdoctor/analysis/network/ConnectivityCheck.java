package dev.cpdoctor.analysis.network;

import java.util.List;
import java.util.Objects;

/**
 * Commands an SRE runs to check the network between the cluster and its apiserver, ready
 * to copy, and what success looks like.
 *
 * @param title what the commands check, in words
 * @param commands shell lines in order; every value in them is validated and quoted
 * @param success the text the last command prints when the check succeeds
 * @param notes what the commands need or why a better check is not offered; never raw
 * configuration
 */
public record ConnectivityCheck(String title, List<String> commands, String success, List<String> notes) {

	public ConnectivityCheck {
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(success, "success");
		commands = List.copyOf(commands);
		notes = List.copyOf(notes);
	}

}
