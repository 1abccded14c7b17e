package dev.cpdoctor.web;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.demo.DemoData;

/** The web layer's collaborators and the {@link ViewState} argument resolver. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

	private final ViewStateResolver viewStateResolver;

	WebConfiguration(ClusterCatalog catalog, ObjectProvider<DemoData> demo, Clock clock) {
		// The demo opens on its frozen incident; every other cluster on the last hour.
		this.viewStateResolver = new ViewStateResolver(catalog, (cluster) -> cluster.isDemo()
				? Optional.ofNullable(demo.getIfAvailable()).map((data) -> data.scenario().incidentWindow())
				: Optional.empty(), clock);
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this.viewStateResolver);
	}

	@Bean
	ErrorMessages errorAttributes() {
		return new ErrorMessages();
	}

	@Bean
	ChartJson chartJson(JsonMapper json) {
		return new ChartJson(json);
	}

	@Bean
	EtcdPanels etcdPanels(EtcdHistory history) {
		return new EtcdPanels(history);
	}

}
