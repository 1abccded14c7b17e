package dev.cpdoctor.source.demo;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.DefaultWindows;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.SourcesConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as the application wires it: with cpdoctor.demo.enabled (the default) its
 * scenario answers every question asked of the demo cluster; without, there is neither
 * demo nor any route of its.
 */
class DemoConfigurationTests {

	private final ApplicationContextRunner runner = WiringRunners.stores()
		.withUserConfiguration(DemoConfiguration.class, SourcesConfiguration.class);

	@Test
	void theScenarioAnswersForTheDemo() {
		this.runner.run((context) -> {
			DemoScenario scenario = context.getBean(DemoData.class).scenario();
			Cluster demo = context.getBean(ClusterCatalog.class).find(ClusterCatalog.DEMO_NAME).orElseThrow();
			ClusterSources sources = context.getBean(ClusterSources.class);
			assertThat(sources.topUserAgents(demo, scenario.incidentWindow(), 10).ok()).isTrue();
			assertThat(sources.webhooks(demo).ok()).isTrue();
			assertThat(context.getBean(EtcdDirectSource.class).configured(demo)).isTrue();
			assertThat(context.getBean(NetworkEvidenceSource.class).probes(demo).bothPassed()).isTrue();
			assertThat(context.getBean(KnownKubernetesVersions.class).of(demo)).isPresent();
			assertThat(context.getBean(DefaultWindows.class).defaultWindow(demo)).contains(scenario.incidentWindow());
		});
	}

	@Test
	void withoutTheDemoThereIsNoDemoNorAnyRouteOfIts() {
		this.runner.withPropertyValues("cpdoctor.demo.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(DemoData.class);
			assertThat(context.getBeansOfType(ClusterRoute.class)).isEmpty();
			assertThat(context.getBean(ClusterCatalog.class).find(ClusterCatalog.DEMO_NAME)).isEmpty();
		});
	}

}
