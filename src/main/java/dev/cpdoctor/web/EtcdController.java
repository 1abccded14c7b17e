package dev.cpdoctor.web;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.etcd.KnownOffender;
import dev.cpdoctor.analysis.etcd.ObjectCount;

/** Is etcd about to fill up, and what is filling it. */
@Controller
class EtcdController {

	static final String VIEW = "etcd/etcd";

	/** A row of the objects table. */
	record ObjectRow(ObjectCount object, KnownOffender offender) {
	}

	private final EtcdPanels etcd;

	private final ChartJson charts;

	EtcdController(EtcdPanels etcd, ChartJson charts) {
		this.etcd = etcd;
		this.charts = charts;
	}

	@GetMapping("/etcd")
	String etcd(ViewState view, Model model) {
		model.addAttribute("view", view);
		model.addAttribute("page", "etcd");
		Panel<EtcdSample> latest = this.etcd.latest(view.cluster(), view.window());
		Panel<EtcdUsage> usage = this.etcd.usage(view.cluster(), latest);
		model.addAttribute("latest", latest);
		model.addAttribute("usage", usage);
		if (usage.ok()) {
			model.addAttribute("gaugeJson", this.charts.gauge(usage.value()));
		}
		if (latest.ok()) {
			List<ObjectRow> rows = latest.value()
				.objects()
				.stream()
				.map((o) -> new ObjectRow(o, KnownOffender.lookup(o.group(), o.resource()).orElse(null)))
				.toList();
			model.addAttribute("objects", rows);
		}
		Panel<EtcdGrowth> growth = this.etcd.growth(view.cluster(), view.window());
		model.addAttribute("growth", growth);
		if (growth.ok()) {
			model.addAttribute("growthJson", this.charts.growth(growth.value(), view.cluster().etcdQuota().toBytes()));
		}
		return VIEW;
	}

}
