package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.CountedRequests;
import dev.cpdoctor.analysis.audit.form.AuditForms;
import dev.cpdoctor.analysis.audit.form.ExpandedTooLarge;
import dev.cpdoctor.analysis.audit.form.FormRead;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.history.AuditImports;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditImport;

/**
 * Imports audit logs into offline clusters: the body is read as it streams in, counted in
 * batches through the cluster's own {@link AuditIngest} (which remembers every request it
 * counted, so the same log imported twice counts nothing) and, when it ends, the requests
 * still waiting for their completion are counted. Imports of one cluster are counted one
 * batch at a time; other clusters, the pages and the webhook do not wait.
 */
public final class AuditImporter implements AuditImport {

	/** Events counted and stored per transaction. */
	static final int BATCH = 20_000;

	private static final String ORIGIN = "import";

	private final ClusterCatalog catalog;

	private final AuditRollupWriter writer;

	private final AuditImports imports;

	private final AuditForms forms;

	private final CountedRequests.Limits remember;

	private final Clock clock;

	private final Map<String, Running> running = new HashMap<>();

	private final Set<String> imported = ConcurrentHashMap.newKeySet();

	public AuditImporter(ClusterCatalog catalog, AuditRollupWriter writer, AuditImports imports, AuditForms forms,
			CountedRequests.Limits remember, Clock clock) {
		this.catalog = catalog;
		this.writer = writer;
		this.imports = imports;
		this.forms = forms;
		this.remember = new CountedRequests.Limits(null, remember.maxCodesInMemory());
		this.clock = clock;
		this.imported.addAll(imports.clusters());
	}

	/** Whether the cluster has an import: its audit questions are answered from it. */
	public boolean imported(String cluster) {
		return this.imported.contains(cluster);
	}

	@Override
	public Outcome importLog(String name, InputStream body) throws IOException {
		Refused refused = refusal(name);
		if (refused != null) {
			return refused;
		}
		AuditIngest ingest = acquire(name);
		try {
			return importLog(name, body, ingest);
		}
		finally {
			release(name);
		}
	}

	private Outcome importLog(String name, InputStream body, AuditIngest ingest) throws IOException {
		Instant started = this.clock.instant();
		Importing importing = new Importing(name, ingest);
		FormRead read;
		try {
			read = this.forms.read(body, importing::add);
		}
		catch (ExpandedTooLarge ex) {
			importing.flush();
			return new Refused(Refusal.TOO_LARGE,
					ex.getMessage() + " (cpdoctor.audit.max-import)"
							+ (importing.requests > 0
									? "; the " + importing.requests + " requests read before it were counted"
									: "; nothing was stored"));
		}
		if (read.report().events() == 0) {
			return new Refused(Refusal.INVALID,
					"No audit event in the body (" + read.describe() + "): " + read.report().problems()
							+ ". Send an audit log: JSON lines or an EventList of audit.k8s.io"
							+ " Events, an EKS CloudWatch or AKS diagnostic export, gzipped or not");
		}
		importing.flush();
		importing.took(ingest.ingest(List.of(), read.report(), ORIGIN, null));
		importing.took(ingest.finish(ORIGIN, null));
		Map<String, Long> rejected = new TreeMap<>(read.report().problems());
		rejected.keySet().removeIf(AuditInputReport::isRepair);
		Imported done = new Imported(name, started, read.describe(), read.report().events(), importing.requests,
				importing.duplicates, rejected, importing.received());
		this.imports.record(new AuditImports.Import(name, started, done.forms(), done.events(), done.requests(),
				done.duplicates(), done.rejectedEvents(), importing.first, importing.last));
		this.imported.add(name);
		return done;
	}

	private Refused refusal(String name) {
		Cluster known = this.catalog.find(name).orElse(null);
		if (known != null && known.isDemo()) {
			return new Refused(Refusal.CONFLICT, "'" + name + "' is the built-in demo; import under another name");
		}
		if (known != null && known.provider() != Provider.OFFLINE) {
			return new Refused(Refusal.CONFLICT, "'" + name + "' is a configured cluster, whose audit events come from"
					+ " its own source; import under another name, e.g. '" + name + "-import'");
		}
		if (known == null) {
			try {
				Cluster.requireValidName(name);
			}
			catch (IllegalArgumentException ex) {
				return new Refused(Refusal.INVALID, ex.getMessage());
			}
		}
		return null;
	}

	/**
	 * The cluster's ingest for one more import: imports of one cluster at the same time
	 * share it (one stream, one lock), and it is dropped when the last ends, so the
	 * memory of an imported cluster's counted requests is held only while it imports.
	 */
	private synchronized AuditIngest acquire(String name) {
		Running running = this.running.computeIfAbsent(name, (cluster) -> new Running(
				new AuditIngest(cluster, this.writer, AuditStream.Limits.defaults(), this.remember, 0, this.clock)));
		running.imports++;
		return running.ingest;
	}

	private synchronized void release(String name) {
		Running running = this.running.get(name);
		if (running != null && --running.imports == 0) {
			this.running.remove(name);
		}
	}

	/** The ingest of a cluster being imported into, and how many imports use it. */
	private static final class Running {

		final AuditIngest ingest;

		int imports;

		Running(AuditIngest ingest) {
			this.ingest = ingest;
		}

	}

	@Override
	public List<Imported> imports(String cluster) {
		return this.imports.of(cluster)
			.stream()
			.map((i) -> new Imported(i.cluster(), i.importedAt(), i.forms(), i.events(), i.requests(), i.duplicates(),
					(i.rejected() > 0) ? Map.of("refused", i.rejected()) : Map.of(),
					(i.firstReceived() != null) ? new TimeWindow(i.firstReceived(), i.lastReceived().plusSeconds(60))
							: null))
			.toList();
	}

	@Override
	public boolean delete(String cluster) {
		if (!this.imported.contains(cluster)) {
			return false;
		}
		this.imports.delete(cluster);
		this.imported.remove(cluster);
		return true;
	}

	/** One import under way: its events in batches, and what they counted. */
	private final class Importing {

		private final String cluster;

		private final AuditIngest ingest;

		private final List<AuditEvent> batch = new ArrayList<>();

		long requests;

		long duplicates;

		Instant first;

		Instant last;

		Importing(String cluster, AuditIngest ingest) {
			this.cluster = cluster;
			this.ingest = ingest;
		}

		void add(AuditEvent event) {
			this.batch.add(event);
			Instant received = event.requestReceived();
			this.first = (this.first == null || received.isBefore(this.first)) ? received : this.first;
			this.last = (this.last == null || received.isAfter(this.last)) ? received : this.last;
			if (this.batch.size() >= BATCH) {
				flush();
			}
		}

		void flush() {
			if (!this.batch.isEmpty()) {
				AuditImporter.this.catalog.offline(this.cluster, "imported audit logs");
				took(this.ingest.ingest(new ArrayList<>(this.batch), new AuditInputReport(), ORIGIN, null));
				this.batch.clear();
			}
		}

		void took(AuditBatch counted) {
			this.requests += counted.requests();
			this.duplicates += counted.duplicates();
		}

		TimeWindow received() {
			return (this.first != null) ? new TimeWindow(this.first, this.last.plusSeconds(60)) : null;
		}

	}

}
