package dev.cpdoctor.troubleshoot.remedy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.apiserver.ClientManifests;
import dev.cpdoctor.troubleshoot.ObjectLeakCheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

public class PagedDeleteTests {

	private static String loop(String what, String probe, String page) {
		return "# Delete every " + what + ", 1000 per request, until none is left.\n"
				+ "# Works only while etcd is under its quota: over quota (NOSPACE alarm) the apiserver's deletes fail too,"
				+ " and only the direct-etcd last resort is left.\n" + "n=0\n" + "while :; do\n"
				+ "  page=$(kubectl get --raw '" + probe + "') || break\n" + "  case $page in\n"
				+ "    *'\"deletionTimestamp\"'*) echo 'the objects left wait for their finalizers; stopping'; break ;;\n"
				+ "    *'\"items\":[{'*) ;;\n" + "    *) echo \"none left after $n pages\"; break ;;\n" + "  esac\n"
				+ "  kubectl delete --raw '" + page + "' >/dev/null || break\n"
				+ "  n=$((n + 1)); echo \"deleted page $n\"\n" + "done\n";
	}

	@Test
	void aNamedGroupInANamespace() {
		Remediation r = PagedDelete.of(LeakedResource.of("reports.kyverno.io", "v1", "ephemeralreports", "acme", null));
		assertThat(r.kind()).isEqualTo(Remediation.Kind.COMMAND);
		assertThat(r.text()).isEqualTo(loop("ephemeralreports.reports.kyverno.io in namespace acme",
				"/apis/reports.kyverno.io/v1/namespaces/acme/ephemeralreports?limit=1",
				"/apis/reports.kyverno.io/v1/namespaces/acme/ephemeralreports?limit=1000"));
		assertThat(r.summary())
			.isEqualTo("Delete the ephemeralreports.reports.kyverno.io in namespace acme in pages of 1000");
		assertThat(r.warnings()).first().asString().contains("NOSPACE").contains("last resort");
	}

	@Test
	void aNamedGroupClusterWide() {
		Remediation r = PagedDelete
			.of(LeakedResource.of("reports.kyverno.io", "v1", "clusterephemeralreports", null, null));
		assertThat(r.text()).isEqualTo(loop("clusterephemeralreports.reports.kyverno.io cluster-wide",
				"/apis/reports.kyverno.io/v1/clusterephemeralreports?limit=1",
				"/apis/reports.kyverno.io/v1/clusterephemeralreports?limit=1000"));
	}

	@Test
	void theCoreGroupInANamespaceAndClusterWide() {
		assertThat(PagedDelete.of(LeakedResource.of("", "v1", "events", "acme", null)).text())
			.isEqualTo(loop("events in namespace acme", "/api/v1/namespaces/acme/events?limit=1",
					"/api/v1/namespaces/acme/events?limit=1000"));
		assertThat(PagedDelete.of(LeakedResource.of("", "v1", "persistentvolumes", null, null)).text())
			.isEqualTo(loop("persistentvolumes cluster-wide", "/api/v1/persistentvolumes?limit=1",
					"/api/v1/persistentvolumes?limit=1000"));
	}

	@Test
	void aLabelSelectorNarrowsBothTheProbeAndTheDeleteURLEncoded() {
		Remediation r = PagedDelete
			.of(LeakedResource.of("", "v1", "configmaps", "acme", "app in (a, b), !legacy,tier==web"));
		String query = "labelSelector=app+in+%28a%2Cb%29%2C%21legacy%2Ctier%3Dweb";
		assertThat(r.text()).isEqualTo(loop("configmaps in namespace acme with labels app in (a,b),!legacy,tier=web",
				"/api/v1/namespaces/acme/configmaps?limit=1&" + query,
				"/api/v1/namespaces/acme/configmaps?limit=1000&" + query));
	}

	@Test
	void thePageSizeIsBounded() {
		LeakedResource target = LeakedResource.of("", "v1", "events", "acme", null);
		assertThat(PagedDelete.of(target, 500).text()).contains("events?limit=500'").contains(", 500 per request");
		for (int size : new int[] { 0, -1, 10_001 }) {
			assertThat(
					catchThrowableOfType(InvalidRemedyParameter.class, () -> PagedDelete.of(target, size)).parameter())
				.isEqualTo("pageSize");
		}
	}

	/**
	 * Whatever validation lets through can only sit inside single quotes: every quote in
	 * the text is ours, and the URL parts hold only letters, digits and / . - _ ? = & %
	 * +.
	 */
	@Test
	void clientTextOnlyEverSitsInsideSingleQuotesWithASafeAlphabet() {
		Remediation r = PagedDelete.of(LeakedResource.of("a-b.example.io", "v1alpha1", "x-things", "ns-1",
				"app.kubernetes.io/name in (a.b, c_d),!e"));
		for (String line : r.text().lines().filter((l) -> l.contains("--raw")).toList()) {
			String url = line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\''));
			assertThat(url).matches("[A-Za-z0-9/._?=&%+-]+");
		}
		assertThat(r.text()).matches("[ -~\n]+");
	}

	/**
	 * The loop, run by /bin/sh (dash on Debian: POSIX, no bash-isms) against a fake
	 * kubectl.
	 */
	@Test
	void theLoopDeletesPageByPageUntilNoneIsLeft(@TempDir Path dir) throws Exception {
		String out = run(dir, "3", "ok", PagedDelete.of(LeakedResource.of("", "v1", "events", "acme", "app=x")));
		assertThat(out).isEqualTo("deleted page 1\ndeleted page 2\ndeleted page 3\nnone left after 3 pages\n");
		List<String> calls = Files.readAllLines(dir.resolve("calls"));
		assertThat(calls).hasSize(7)
			.startsWith("get --raw /api/v1/namespaces/acme/events?limit=1&labelSelector=app%3Dx",
					"delete --raw /api/v1/namespaces/acme/events?limit=1000&labelSelector=app%3Dx");
	}

	/**
	 * What the paged-delete API and the guide's chosen namespace generate runs the same
	 * way.
	 */
	@Test
	void theApisQueryWithANamespaceRunsAgainstKubectl(@TempDir Path dir) throws Exception {
		LeakedResource target = LeakedResource.fromQuery("ephemeralreports.reports.kyverno.io", null, "team-a", null);
		String out = run(dir, "2", "ok", PagedDelete.of(target));
		assertThat(out).isEqualTo("deleted page 1\ndeleted page 2\nnone left after 2 pages\n");
		assertThat(Files.readAllLines(dir.resolve("calls"))).containsExactly(
				"get --raw /apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1",
				"delete --raw /apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1000",
				"get --raw /apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1",
				"delete --raw /apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1000",
				"get --raw /apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1");
	}

	/**
	 * The guide's placeholder names no real namespace: pasted as is, the apiserver's 404
	 * ends the loop at once.
	 */
	@Test
	void thePlaceholderDeletesNothing(@TempDir Path dir) throws Exception {
		Remediation paged = ObjectLeakCheck
			.check("demo",
					SourceResult.ok(new EtcdSample(Instant.EPOCH, "apiserver_storage_size_bytes", 1L,
							List.of(new ObjectCount("", "events", 20_000L)))),
					SourceResult.failed("no size"), SourceResult.failed("no growth"), new ClientManifests())
			.remedies()
			.stream()
			.filter((r) -> r.text() != null && r.text().contains("delete --raw"))
			.findFirst()
			.orElseThrow();
		String out = run(dir, "3", "notfound", paged);
		assertThat(out).isEmpty();
		assertThat(Files.readAllLines(dir.resolve("calls")))
			.containsExactly("get --raw /api/v1/namespaces/your-namespace/events?limit=1");
	}

	@Test
	void theLoopStopsWhenADeleteFails(@TempDir Path dir) throws Exception {
		String out = run(dir, "3", "fail", PagedDelete.of(LeakedResource.of("", "v1", "events", "acme", null)));
		assertThat(out).isEmpty();
		assertThat(Files.readAllLines(dir.resolve("calls"))).hasSize(2);
	}

	@Test
	void theLoopStopsWhenWhatIsLeftWaitsForFinalizers(@TempDir Path dir) throws Exception {
		String out = run(dir, "3", "terminating", PagedDelete.of(LeakedResource.of("", "v1", "events", "acme", null)));
		assertThat(out).isEqualTo("the objects left wait for their finalizers; stopping\n");
	}

	/**
	 * @param pages how many pages the fake apiserver holds
	 * @param mode ok, fail (every delete fails), terminating (the objects carry a
	 * deletionTimestamp) or notfound (the namespace does not exist: every call fails as
	 * kubectl does on a 404)
	 */
	private static String run(Path dir, String pages, String mode, Remediation remedy)
			throws IOException, InterruptedException {
		return run(dir, pages, mode, remedy.text());
	}

	/**
	 * The same for a script from elsewhere (the paged-delete API's body); the calls land
	 * in dir/calls.
	 */
	public static String run(Path dir, String pages, String mode, String script)
			throws IOException, InterruptedException {
		Path sh = Path.of("/bin/sh");
		assumeTrue(Files.isExecutable(sh), "needs /bin/sh");
		Files.writeString(dir.resolve("pages"), pages);
		Path kubectl = dir.resolve("kubectl");
		Files.writeString(kubectl, String.join("\n", "#!/bin/sh", "d=$(dirname \"$0\")", "echo \"$*\" >> \"$d/calls\"",
				"left=$(cat \"$d/pages\")",
				"[ \"" + mode
						+ "\" = notfound ] && { echo 'Error from server (NotFound): the server could not find the requested resource' >&2; exit 1; }",
				"case $1 in", "  get) if [ \"$left\" -eq 0 ]; then echo '{\"kind\":\"EventList\",\"items\":[]}';",
				"       elif [ " + "\"" + mode + "\" = terminating ]; then"
						+ " echo '{\"items\":[{\"metadata\":{\"name\":\"a\",\"deletionTimestamp\":\"2026-01-01T00:00:00Z\"}}]}';",
				"       else echo '{\"kind\":\"EventList\",\"metadata\":{},\"items\":[{\"metadata\":{\"name\":\"a\"}}]}'; fi ;;",
				"  delete) [ \"" + mode
						+ "\" = fail ] && { echo 'etcdserver: mvcc: database space exceeded' >&2; exit 1; }",
				"       echo $((left - 1)) > \"$d/pages\"; echo '{\"kind\":\"Status\"}' ;;", "esac", ""));
		Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
		ProcessBuilder builder = new ProcessBuilder(sh.toString(), "-c", script).redirectErrorStream(false);
		builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
		Process process = builder.start();
		try {
			assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the loop ends").isTrue();
			return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		finally {
			process.destroyForcibly();
		}
	}

}
