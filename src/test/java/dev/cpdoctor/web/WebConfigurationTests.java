package dev.cpdoctor.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.DefaultWindows;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web layer's collaborators as its configuration wires them: the view state of every
 * page from the URL, the page cache behind Spring Security, the errors' messages.
 */
class WebConfigurationTests {

	/** Spring Security's filter chain runs at this order (its default). */
	private static final int SECURITY_FILTER_ORDER = -100;

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withUserConfiguration(WebConfiguration.class)
		.withBean(ClusterCatalog.class,
				() -> new ClusterCatalog(
						List.of(new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.none(), null, "configuration"))))
		.withBean(DefaultWindows.class, () -> (cluster) -> Optional.empty())
		.withBean(Clock.class, Clock::systemUTC)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build());

	@Test
	void everyHandlerGetsItsViewStateFromTheUrl() {
		this.runner.run((context) -> {
			WebConfiguration web = context.getBean(WebConfiguration.class);
			List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
			web.addArgumentResolvers(resolvers);
			assertThat(resolvers).containsExactly(web.viewStateResolver());
		});
	}

	@Test
	void renderedPagesAreCachedBehindSpringSecurity() {
		this.runner.run((context) -> {
			FilterRegistrationBean<?> cache = context.getBean(FilterRegistrationBean.class);
			assertThat(cache.getFilter()).isInstanceOf(RenderedPageCache.class);
			assertThat(cache.getOrder()).isGreaterThan(SECURITY_FILTER_ORDER);
		});
	}

	@Test
	void errorsShowTheMessagesWrittenForTheUser() {
		this.runner.run((context) -> {
			assertThat(context.getBean(ErrorAttributes.class)).isInstanceOf(ErrorMessages.class);
			assertThat(context).hasSingleBean(ChartJson.class);
		});
	}

}
