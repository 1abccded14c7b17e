package dev.cpdoctor.web;

import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;

/**
 * What the layout shows on every page: the cluster picker, the window picker, the
 * version.
 */
@ControllerAdvice(assignableTypes = { OverviewController.class, AuditController.class, EtcdController.class,
		TroubleshootController.class, SymptomController.class })
class LayoutAdvice {

	static final List<Duration> WINDOW_CHOICES = List.of(Duration.ofMinutes(15), Duration.ofHours(1),
			Duration.ofHours(6), Duration.ofHours(24), Duration.ofDays(7));

	private static final Formats FORMATS = new Formats();

	private final ClusterCatalog catalog;

	private final String version;

	LayoutAdvice(ClusterCatalog catalog, ObjectProvider<BuildProperties> build) {
		this.catalog = catalog;
		BuildProperties properties = build.getIfAvailable();
		this.version = (properties != null) ? properties.getVersion() : "dev";
	}

	@ModelAttribute("clusters")
	List<Cluster> clusters() {
		return this.catalog.all();
	}

	@ModelAttribute("windowChoices")
	List<Duration> windowChoices() {
		return WINDOW_CHOICES;
	}

	@ModelAttribute("fmt")
	Formats fmt() {
		return FORMATS;
	}

	@ModelAttribute("version")
	String version() {
		return this.version;
	}

}
