package dev.cpdoctor.analysis.audit;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserAgentLabelTests {

	@Test
	void requestsWithoutAUserAgentShowAsNoUserAgent() {
		assertThat(UserAgentLabel.of("")).isEqualTo("(no user agent)");
		assertThat(UserAgentLabel.of(null)).isEqualTo("(no user agent)");
		assertThat(UserAgentLabel.of("kubectl/v1.30.2")).isEqualTo("kubectl/v1.30.2");
		assertThat(UserAgentLabel.of(" ")).isEqualTo(" ");
	}

	/** A client that calls itself "(no user agent)", quoted or not, never shows alike. */
	@Test
	void aClientNamedLikeTheLabelIsQuotedSoNoTwoShowAlike() {
		assertThat(UserAgentLabel.of("(no user agent)")).isEqualTo("\"(no user agent)\"");
		assertThat(UserAgentLabel.of("\"(no user agent)\"")).isEqualTo("\"\"(no user agent)\"\"");
		assertThat(UserAgentLabel.of("\"kubectl\"")).isEqualTo("\"kubectl\"");
		List<String> agents = List.of("", "(no user agent)", "\"(no user agent)\"", "\"\"(no user agent)\"\"",
				"\"(no user agent)", "(no user agent)\"", "(no user agent) ", "\"\"", "\"");
		Set<String> labels = new HashSet<>();
		agents.forEach((ua) -> labels.add(UserAgentLabel.of(ua)));
		assertThat(labels).hasSameSizeAs(agents);
	}

}
