package dev.cpdoctor.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

import dev.cpdoctor.source.AuditSources;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.azure.AzureProperties;
import dev.cpdoctor.source.azure.AzureSources;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;
import dev.cpdoctor.source.loganalytics.LogAnalyticsAuditAnalytics;

import static dev.cpdoctor.bench.AuditCacheBenchmark.CLUSTER;
import static dev.cpdoctor.bench.AuditCacheBenchmark.RESOURCE_ID;
import static dev.cpdoctor.bench.AuditCacheBenchmark.WORKSPACE;

/**
 * For the comparison only, given to the second application as
 * {@code spring.main.sources}: replaces the cluster sources with the bare Log Analytics
 * sources of the benchmark's cluster (no cache; no platform metric, which the Audit page
 * does not use). Not annotated, so component scanning never picks it up in the tests.
 */
public final class UncachedAuditSources implements BeanPostProcessor, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof ClusterSources)) {
			return bean;
		}
		AzureSources azure = new AzureSources(new AzureProperties(AzureProperties.Credential.NONE, null, null, null,
				Duration.ofSeconds(60), null, null, null));
		URI endpoint = URI.create(this.environment.getProperty("cpdoctor.clusters[0].log-analytics.endpoint"));
		LogAnalyticsAuditAnalytics corrected = azure.audit(WORKSPACE, endpoint, TableMode.AKS_AUDIT, RESOURCE_ID,
				Form.CORRECTED);
		LogAnalyticsAuditAnalytics documented = azure.audit(WORKSPACE, endpoint, TableMode.AKS_AUDIT, RESOURCE_ID,
				Form.DOCUMENTED);
		// As the configuration wires them, without the CachingAuditAnalytics around
		// each form.
		return new ClusterSources(
				List.of(ClusterRoute.byName(Map.of(CLUSTER, new AuditSources(corrected, documented, corrected)))),
				List.of(), List.of());
	}

}
