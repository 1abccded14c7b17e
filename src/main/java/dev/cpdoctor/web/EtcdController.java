package dev.cpdoctor.web;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.KnownOffender;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.etcd.ResourceGrowth;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.EtcdDirectReader;
import dev.cpdoctor.troubleshoot.EtcdHistoryFacts;

/** Is etcd about to fill up, and what is filling it. */
@Controller
class EtcdController {

	static final String VIEW = "etcd/etcd";

	/**
	 * A row of the objects table: the count, its change over 7 days (null when unknown),
	 * size estimate, known fix.
	 */
	record ObjectRow(ObjectCount object, Long weekChange, Long sizeEstimateBytes, KnownOffender offender) {
	}

	static final int FASTEST = 5;

	/** How many prefixes the keyspace panel lists, and namespaces under each. */
	static final int TOP_PREFIXES = 15;

	static final int TOP_NAMESPACES = 3;

	private final EtcdHistoryFacts etcd;

	private final EtcdDirectReader direct;

	private final ChartJson charts;

	EtcdController(EtcdHistoryFacts etcd, EtcdDirectReader direct, ChartJson charts) {
		this.etcd = etcd;
		this.direct = direct;
		this.charts = charts;
	}

	/**
	 * "Scan again": a new keyspace scan of the cluster's etcd (shared with a scan already
	 * running), then back to the page. A plain form POST, with Spring Security's CSRF
	 * token.
	 */
	@PostMapping("/etcd/scan")
	String scan(ViewState view) {
		if (this.direct.configured(view.cluster())) {
			this.direct.refresh(view.cluster());
		}
		return "redirect:" + view.link("/etcd") + "#panel-keyspace";
	}

	/**
	 * The panels of a cluster whose etcd is read directly: status, alarms, advice, space
	 * by prefix.
	 */
	private void direct(ViewState view, Model model) {
		boolean configured = this.direct.configured(view.cluster());
		model.addAttribute("direct", configured);
		if (!configured) {
			return;
		}
		SourceResult<EtcdClusterStatus> status = this.direct.status(view.cluster());
		model.addAttribute("etcdStatus", status);
		if (status.ok()) {
			model.addAttribute("advice", this.direct.advice(status.value()));
			model.addAttribute("nospace", status.value().hasAlarm(EtcdAlarm.Type.NOSPACE));
			model.addAttribute("corrupt", status.value().hasAlarm(EtcdAlarm.Type.CORRUPT));
			model.addAttribute("defragAll",
					status.value()
						.members()
						.stream()
						.sorted(Comparator.comparing(EtcdMemberStatus::leader))
						.map(EtcdMemberStatus::endpoint)
						.toList());
		}
		SourceResult<KeyspaceUsage> keyspace = this.direct.keyspace(view.cluster());
		model.addAttribute("keyspace", keyspace);
		if (keyspace.ok()) {
			model.addAttribute("topPrefixes", keyspace.value().prefixes().stream().limit(TOP_PREFIXES).toList());
		}
		model.addAttribute("topNamespaces", TOP_NAMESPACES);
	}

	@GetMapping("/etcd")
	String etcd(ViewState view, Model model) {
		model.addAttribute("view", view);
		model.addAttribute("page", "etcd");
		direct(view, model);
		SourceResult<EtcdSample> latest = this.etcd.latest(view.cluster(), view.window());
		SourceResult<EtcdUsage> usage = this.etcd.usage(view.cluster(), latest, view.window());
		model.addAttribute("latest", latest);
		model.addAttribute("usage", usage);
		if (usage.ok()) {
			model.addAttribute("gaugeJson", this.charts.gauge(usage.value()));
		}
		SourceResult<List<ResourceGrowth>> change = this.etcd.weekChange(view.cluster(), latest);
		model.addAttribute("change", change);
		if (latest.ok()) {
			Map<String, Long> changes = new HashMap<>();
			if (change.ok()) {
				change.value()
					.forEach((g) -> changes.put(new ObjectCount(g.group(), g.resource(), null).qualifiedName(),
							g.change()));
			}
			Map<String, Long> estimates = this.etcd.sizeEstimates(view.cluster(), latest);
			List<ObjectRow> rows = latest.value()
				.objects()
				.stream()
				.map((o) -> new ObjectRow(o, changes.get(o.qualifiedName()), estimates.get(o.qualifiedName()),
						KnownOffender.lookup(o.group(), o.resource()).orElse(null)))
				.toList();
			model.addAttribute("objects", rows);
			model.addAttribute("hasEstimates", !estimates.isEmpty());
			model.addAttribute("members", this.etcd.members(view.cluster(), latest));
			if (change.ok()) {
				model.addAttribute("fastest",
						change.value()
							.stream()
							.filter((g) -> g.change() != null && g.change() > 0)
							.limit(FASTEST)
							.toList());
			}
		}
		SourceResult<EtcdGrowth> growth = this.etcd.growth(view.cluster(), view.window());
		model.addAttribute("growth", growth);
		model.addAttribute("growthWeeks", EtcdHistoryFacts.growthSpan(view.window()).toDays() / 7);
		if (growth.ok()) {
			model.addAttribute("weekGrowth", growth.value().changeOver(EtcdHistoryFacts.CHANGE_SPAN));
			model.addAttribute("growthJson", this.charts.growth(growth.value(), view.cluster().etcdQuota().toBytes()));
		}
		return VIEW;
	}

}
