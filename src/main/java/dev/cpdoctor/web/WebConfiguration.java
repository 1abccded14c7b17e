package dev.cpdoctor.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.DefaultWindows;

/** The web layer's collaborators and the {@link ViewState} argument resolver. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

	private final ViewStateResolver viewStateResolver;

	WebConfiguration(ClusterCatalog catalog, DefaultWindows defaultWindows, Clock clock) {
		this.viewStateResolver = new ViewStateResolver(catalog, defaultWindows::defaultWindow, clock);
	}

	ViewStateResolver viewStateResolver() {
		return this.viewStateResolver;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this.viewStateResolver);
	}

	/**
	 * Rendered pages of absolute windows, kept 15 s; after Spring Security (order -100)
	 * in the chain.
	 */
	@Bean
	FilterRegistrationBean<RenderedPageCache> renderedPageCache() {
		FilterRegistrationBean<RenderedPageCache> registration = new FilterRegistrationBean<>(
				new RenderedPageCache(Duration.ofSeconds(15), 64L * 1024 * 1024, Duration.ofSeconds(30)));
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
		return registration;
	}

	@Bean
	ErrorMessages errorAttributes() {
		return new ErrorMessages();
	}

	@Bean
	ChartJson chartJson(JsonMapper json) {
		return new ChartJson(json);
	}

}
