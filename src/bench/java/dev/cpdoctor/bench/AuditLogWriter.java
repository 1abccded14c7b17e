package dev.cpdoctor.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import dev.cpdoctor.bench.AuditLogModel.Identity;
import dev.cpdoctor.bench.AuditLogModel.Op;
import dev.cpdoctor.bench.AuditLogModel.Verb;

import static dev.cpdoctor.bench.AuditLogGenerator.INCIDENT_FROM;
import static dev.cpdoctor.bench.AuditLogGenerator.INCIDENT_TO;
import static dev.cpdoctor.bench.AuditLogGenerator.SPAN_MICROS;
import static dev.cpdoctor.bench.AuditLogGenerator.START;
import static dev.cpdoctor.bench.AuditLogRequest.COMPLETE;
import static dev.cpdoctor.bench.AuditLogRequest.RECEIVED;
import static dev.cpdoctor.bench.AuditLogRequest.STARTED;

/**
 * Writes the generated log: bursts of requests from the model's clients at exponential
 * gaps, a queue of their pending stages ordered by time, one line at a time; counts what
 * it wrote.
 */
final class AuditLogWriter {

	final AuditLogModel model;

	final SplittableRandom random;

	final OutputStream out;

	final double meanGapMicros;

	final long targetBytes;

	final PriorityQueue<AuditLogRequest> pending = new PriorityQueue<>(
			(a, b) -> (a.time != b.time) ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));

	final AuditLogLine line = new AuditLogLine();

	final long startMicros = START.getEpochSecond() * 1_000_000L;

	long bytes;

	long lines;

	long requests;

	long longRunning;

	long bursts;

	long seq;

	long firstMicros = Long.MAX_VALUE;

	long lastMicros;

	long resourceVersion = 48_210_377;

	long adjacent;

	long previousLineId = -1;

	AuditLogWriter(AuditLogModel model, SplittableRandom random, OutputStream out, double meanGapMicros,
			long targetBytes) {
		this.model = model;
		this.random = random;
		this.out = out;
		this.meanGapMicros = meanGapMicros;
		this.targetBytes = targetBytes;
	}

	void run(long maxBursts) throws IOException {
		long now = this.startMicros;
		double averageLine = 700;
		while (this.bursts < maxBursts) {
			// Stop issuing requests when the file, with what is still in flight,
			// reaches the target.
			if (this.lines > 0) {
				averageLine = (double) this.bytes / this.lines;
			}
			if (this.bytes + (long) (this.pending.size() * 1.5 * averageLine) >= this.targetBytes) {
				break;
			}
			burst(now);
			now += Math.max(1, Math.round(-Math.log(1 - this.random.nextDouble()) * this.meanGapMicros));
			while (!this.pending.isEmpty() && this.pending.peek().time < now) {
				write(this.pending.poll());
			}
		}
		while (!this.pending.isEmpty()) {
			write(this.pending.poll());
		}
	}

	private void burst(long at) {
		this.bursts++;
		double progress = (double) (at - this.startMicros) / SPAN_MICROS;
		boolean incident = progress >= INCIDENT_FROM && progress < INCIDENT_TO;
		short[] table = incident ? this.model.pickIncident : this.model.pickNormal;
		AuditLogAgent agent = this.model.agents[table[this.random.nextInt(1 << 16)]];
		int size = 1 + (int) (-Math.log(1 - this.random.nextDouble()) * (agent.burstMean - 1));
		long t = at;
		Identity identity = agent.identities[this.random.nextInt(agent.identities.length)];
		for (int i = 0; i < size; i++) {
			request(agent, identity, t, incident);
			t += 40 + this.random.nextInt(400);
		}
	}

	private void request(AuditLogAgent agent, Identity identity, long at, boolean incident) {
		Op op = agent.pick(this.random.nextDouble());
		AuditLogRequest r = new AuditLogRequest();
		r.hi = (this.random.nextLong() & ~0xF000L) | 0x4000L;
		r.lo = (this.random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
		r.agent = agent;
		r.op = op;
		r.identity = identity;
		r.received = at;
		target(r, op);
		long latencyMicros = outcome(r, agent, op, incident);
		r.complete = at + latencyMicros;
		if (op.longRunning()) {
			r.started = at + Math.min(latencyMicros - 1, 200 + this.random.nextInt(3000));
			this.longRunning++;
		}
		r.stage = RECEIVED;
		r.time = at;
		r.seq = this.seq++;
		this.pending.add(r);
		this.requests++;
	}

	/** Where the request goes: its namespace, object name and resource version. */
	private void target(AuditLogRequest r, Op op) {
		r.namespace = switch (op.scope()) {
			case "ns" -> this.model.namespaces[this.random.nextInt(this.model.namespaces.length)];
			case "all", "-" -> null;
			default -> AuditLogGenerator.ascii(op.scope());
		};
		if (!op.resource().namespaced()) {
			r.namespace = null;
		}
		r.name = op.resource().key().startsWith("nodes") || "kube-node-lease".equals(op.scope())
				? this.model.nodeNames[this.random.nextInt(this.model.nodeNames.length)]
				: this.model.names[this.random.nextInt(this.model.names.length)];
		r.resourceVersion = this.resourceVersion += 1 + this.random.nextInt(7);
	}

	/**
	 * The request's code (and a watch's length) set on it; returns its latency in
	 * microseconds.
	 */
	private long outcome(AuditLogRequest r, AuditLogAgent agent, Op op, boolean incident) {
		int code = code(agent, op, this.random.nextDouble(), incident);
		double latency;
		if (op.verb() == Verb.WATCH) {
			r.watchSeconds = 300 + this.random.nextInt(300);
			latency = r.watchSeconds * 1000.0 + this.random.nextDouble() * 50;
			code = 200;
		}
		else if (code == 429) {
			latency = 0.2 + this.random.nextDouble() * 2;
		}
		else {
			double median = op.medianMs() * agent.latencyFactor;
			if (incident && op.verb() == Verb.LIST) {
				median *= 3;
			}
			if (code == 500) {
				median = Math.max(median, 30);
			}
			latency = 0.15 + median * Math.exp(op.sigma() * this.random.nextGaussian());
		}
		r.code = code;
		return Math.max(1, Math.round(latency * 1000));
	}

	/**
	 * Mostly 200/201; 429 and 500, three times as often during the incident; 404 (get,
	 * delete) or 409 (update, patch, create) for some; {@code u} is uniform in [0, 1).
	 */
	private static int code(AuditLogAgent agent, Op op, double u, boolean incident) {
		double scale = agent.errorScale * (incident ? 3 : 1);
		int code = (op.verb() == Verb.CREATE) ? 201 : 200;
		if (u < 0.003 * scale) {
			code = 429;
		}
		else if (u < 0.0035 * scale) {
			code = 500;
		}
		else if (u < 0.0035 * scale + 0.04 * agent.errorScale) {
			switch (op.verb()) {
				case GET, DELETE -> code = 404;
				case UPDATE, PATCH, CREATE -> code = 409;
				default -> {
				}
			}
		}
		return code;
	}

	/** Writes the request's current stage and queues its next one. */
	private void write(AuditLogRequest r) throws IOException {
		AuditLogLine l = this.line;
		long stageTime = AuditLogEvent.render(l, r);
		this.out.write(l.bytes, 0, l.length);
		this.bytes += l.length;
		this.lines++;
		this.firstMicros = Math.min(this.firstMicros, stageTime);
		this.lastMicros = stageTime;
		if (r.stage != RECEIVED && this.previousLineId == r.seq) {
			this.adjacent++;
		}
		this.previousLineId = r.seq;
		if (r.stage == RECEIVED) {
			r.stage = r.op.longRunning() ? STARTED : COMPLETE;
			r.time = (r.stage == STARTED) ? r.started : r.complete;
			this.pending.add(r);
		}
		else if (r.stage == STARTED) {
			r.stage = COMPLETE;
			r.time = r.complete;
			this.pending.add(r);
		}
	}

}
