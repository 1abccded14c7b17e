package dev.cpdoctor.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.EtcdDirectReader;
import dev.cpdoctor.troubleshoot.EtcdHistoryFacts;

/** The first page: is etcd near its quota, and whose latency is climbing. */
@Controller
class OverviewController {

	static final String VIEW = "overview/overview";

	static final int TOP_SERIES = 5;

	/** The overview's card of a cluster: its latest usage, or why there is none. */
	record ClusterCard(Cluster cluster, SourceResult<EtcdUsage> usage) {
	}

	private final ClusterSources audit;

	private final EtcdHistoryFacts etcd;

	private final ChartJson charts;

	private final ClusterCatalog catalog;

	private final SourceExecutor panels;

	private final EtcdDirectReader direct;

	OverviewController(ClusterSources audit, EtcdHistoryFacts etcd, ChartJson charts, ClusterCatalog catalog,
			SourceExecutor panels, EtcdDirectReader direct) {
		this.direct = direct;
		this.audit = audit;
		this.etcd = etcd;
		this.charts = charts;
		this.catalog = catalog;
		this.panels = panels;
	}

	@GetMapping("/")
	String overview(ViewState view, Model model) {
		model.addAttribute("view", view);
		model.addAttribute("page", "overview");
		SourceResult<EtcdSample> latest = this.etcd.latest(view.cluster(), view.window());
		SourceResult<EtcdUsage> usage = this.etcd.usage(view.cluster(), latest, view.window());
		model.addAttribute("usage", usage);
		if (usage.ok()) {
			model.addAttribute("gaugeJson", this.charts.gauge(usage.value()));
		}
		model.addAttribute("latest", latest);
		model.addAttribute("cards",
				this.catalog.all()
					.stream()
					.map((cluster) -> new ClusterCard(cluster,
							this.etcd.usage(cluster, this.etcd.latest(cluster, view.window()), view.window())))
					.toList());
		model.addAttribute("apf", this.etcd.apfRejections(view.cluster(), view.window()));
		Duration bin = Bins.forWindow(view.window());
		model.addAttribute("bin", bin);
		AuditAnalytics audit = this.audit.inForm(view.documented());
		// etcd read directly: an alarm of the selected cluster is the first thing to see
		// (status is cached briefly)
		CompletableFuture<SourceResult<EtcdClusterStatus>> etcdStatus = this.direct.configured(view.cluster())
				? this.panels.ask(() -> this.direct.status(view.cluster())) : null;
		CompletableFuture<SourceResult<List<UserAgentRequests>>> topAsked = this.panels
			.ask(() -> audit.topUserAgents(view.cluster(), view.window(), 5));
		SourceResult<List<UserAgentLatency>> latency = (audit.latency(view.cluster(), view.window(), bin, TOP_SERIES));
		model.addAttribute("latency", latency);
		if (latency.ok()) {
			model.addAttribute("latencyJson", this.charts.latency(latency.value()));
		}
		SourceResult<List<UserAgentRequests>> top = topAsked.join();
		if (etcdStatus != null) {
			SourceResult<EtcdClusterStatus> status = etcdStatus.join();
			if (status.ok()) {
				model.addAttribute("nospace", status.value().hasAlarm(EtcdAlarm.Type.NOSPACE));
				model.addAttribute("corrupt", status.value().hasAlarm(EtcdAlarm.Type.CORRUPT));
			}
		}
		model.addAttribute("top", top);
		return VIEW;
	}

}
