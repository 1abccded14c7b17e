package dev.cpdoctor.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.cluster.ClusterProperties.ClusterEntry;
import dev.cpdoctor.cluster.ClusterProperties.Demo;
import dev.cpdoctor.cluster.ClusterProperties.Kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterCatalogTests {

	private static final String AKS_SERVER = "https://x.hcp.westeurope.azmk8s.io:443";

	private static final String EKS_ARN = "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu";

	@TempDir
	Path dir;

	private Path missing() {
		return this.dir.resolve("no-such-kubeconfig");
	}

	private Path kubeconfig(String currentContext, String server) throws IOException {
		String yaml = """
				apiVersion: v1
				kind: Config
				current-context: "%1$s"
				contexts:
				- name: unrelated
				  context:
				    cluster: unrelated
				    user: someone
				- name: "%1$s"
				  context:
				    cluster: the-cluster
				    user: admin
				clusters:
				- name: unrelated
				  cluster:
				    server: https://10.0.0.1:6443
				- name: the-cluster
				  cluster:
				    server: %2$s
				users:
				- name: admin
				  user:
				    token: not-a-real-token
				""".formatted(currentContext, server);
		Path file = Files.createTempFile(this.dir, "kubeconfig", ".yaml");
		Files.writeString(file, yaml);
		return file;
	}

	private static ClusterProperties properties(List<ClusterEntry> clusters, boolean demo, boolean offerCurrentContext,
			Path kubeconfig) {
		return new ClusterProperties(clusters, new Demo(demo, 1), new Kubeconfig(offerCurrentContext, kubeconfig));
	}

	private static ClusterEntry entry(String name, Provider provider) {
		return new ClusterEntry(name, provider, null, false, null, null, null, null, null);
	}

	private static ClusterProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("cpdoctor",
				Bindable.of(ClusterProperties.class));
	}

	private static List<String> names(ClusterCatalog catalog) {
		return catalog.all().stream().map(Cluster::name).toList();
	}

	// ---------------------------------------------------------------- demo

	@Test
	void demoIsOfferedByDefault() {
		ClusterProperties properties = bind(Map.of("cpdoctor.kubeconfig.path", missing().toString()));

		assertThat(properties.demo().enabled()).isTrue();
		assertThat(properties.kubeconfig().offerCurrentContext()).isTrue();
		assertThat(properties.clusters()).isEmpty();
		ClusterCatalog catalog = ClusterCatalog.from(properties);
		assertThat(names(catalog)).containsExactly(ClusterCatalog.DEMO_NAME);
		Cluster demo = catalog.find(ClusterCatalog.DEMO_NAME).orElseThrow();
		assertThat(demo.isDemo()).isTrue();
		assertThat(demo.provider()).isEqualTo(Provider.DEMO);
		assertThat(demo.access().mode()).isEqualTo(KubeAccess.Mode.NONE);
		assertThat(demo.etcdQuota()).isEqualTo(DataSize.ofGigabytes(8));
		assertThat(catalog.defaultCluster()).contains(demo);
	}

	@Test
	void demoIsNotOfferedWhenDisabled() {
		ClusterProperties properties = bind(
				Map.of("cpdoctor.demo.enabled", "false", "cpdoctor.kubeconfig.path", missing().toString()));

		ClusterCatalog catalog = ClusterCatalog.from(properties);

		assertThat(catalog.all()).isEmpty();
		assertThat(catalog.find(ClusterCatalog.DEMO_NAME)).isEmpty();
		assertThat(catalog.defaultCluster()).isEmpty();
	}

	// ---------------------------------------------------------------- kubeconfig

	@Test
	void currentKubeconfigContextIsOfferedAsAksCluster() throws IOException {
		Path file = kubeconfig("weu-admin", AKS_SERVER);

		ClusterCatalog catalog = ClusterCatalog.from(properties(List.of(), true, true, file));

		assertThat(names(catalog)).containsExactly("weu-admin", ClusterCatalog.DEMO_NAME);
		Cluster cluster = catalog.find("weu-admin").orElseThrow();
		assertThat(cluster.provider()).isEqualTo(Provider.AKS);
		assertThat(cluster.access()).isEqualTo(KubeAccess.context("weu-admin", AKS_SERVER));
		assertThat(cluster.access().mode()).isEqualTo(KubeAccess.Mode.KUBECONFIG_CONTEXT);
		assertThat(cluster.etcdQuota()).isEqualTo(Provider.AKS.defaultEtcdQuota());
		assertThat(cluster.origin()).startsWith("kubeconfig").contains(file.toString());
	}

	@Test
	void kubeconfigContextIsNotOfferedWhenSwitchedOff() throws IOException {
		Path file = kubeconfig("weu-admin", AKS_SERVER);

		ClusterCatalog catalog = ClusterCatalog.from(properties(List.of(), true, false, file));

		assertThat(names(catalog)).containsExactly(ClusterCatalog.DEMO_NAME);
	}

	@Test
	void missingOrGarbledKubeconfigIsIgnored() throws IOException {
		Path garbled = this.dir.resolve("garbled");
		Files.writeString(garbled, "current-context: [unclosed\n  : : {{{\n\t- nope");
		Path list = this.dir.resolve("list");
		Files.writeString(list, "- a\n- b\n");
		Path noCurrent = this.dir.resolve("no-current");
		Files.writeString(noCurrent, "apiVersion: v1\nkind: Config\ncontexts: []\n");
		Path nonString = this.dir.resolve("non-string");
		Files.writeString(nonString, "current-context:\n  nested: map\n");
		Path blank = this.dir.resolve("blank-context");
		Files.writeString(blank, "current-context: \"  \"\n");
		Path empty = this.dir.resolve("empty");
		Files.writeString(empty, "");
		Path binary = this.dir.resolve("binary");
		Files.write(binary, new byte[] { (byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF, (byte) 0xFE, 10, 13, 7 });
		Path directory = Files.createDirectory(this.dir.resolve("a-directory"));

		for (Path file : List.of(missing(), garbled, list, noCurrent, nonString, blank, empty, binary, directory)) {
			assertThat(KubeconfigFile.readCurrentContext(file)).as(file.toString()).isEmpty();
			assertThat(names(ClusterCatalog.from(properties(List.of(), true, true, file)))).as(file.toString())
				.containsExactly(ClusterCatalog.DEMO_NAME);
		}
		assertThat(KubeconfigFile.readCurrentContext((Path) null)).isEmpty();
	}

	@Test
	void severalKubeconfigFilesMergeLikeKubectl() throws IOException {
		// The first file only holds credentials and clusters, the second sets the current
		// context.
		Path first = Files.writeString(this.dir.resolve("clusters.yaml"), """
				apiVersion: v1
				kind: Config
				clusters:
				- name: prod
				  cluster:
				    server: https://prod-dns-1.hcp.westeurope.azmk8s.io:443
				""");
		Path second = Files.writeString(this.dir.resolve("contexts.yaml"), """
				apiVersion: v1
				kind: Config
				current-context: prod-admin
				contexts:
				- name: prod-admin
				  context:
				    cluster: prod
				    user: admin
				clusters:
				- name: prod
				  cluster:
				    server: https://ignored.example:6443
				""");
		assertThat(KubeconfigFile.readCurrentContext(List.of(this.dir.resolve("missing.yaml"), first, second)))
			.contains(
					new KubeconfigFile.CurrentContext("prod-admin", "https://prod-dns-1.hcp.westeurope.azmk8s.io:443"));
	}

	@Test
	void kubeconfigContextAlreadyConfiguredIsNotOfferedTwice() throws IOException {
		Path file = kubeconfig("weu-admin", AKS_SERVER);
		ClusterEntry configured = new ClusterEntry("prod-weu", Provider.AKS, "weu-admin", false, null, null, null, null,
				null);

		ClusterCatalog catalog = ClusterCatalog.from(properties(List.of(configured), true, true, file));

		assertThat(names(catalog)).containsExactly("prod-weu", ClusterCatalog.DEMO_NAME);
	}

	@Test
	void kubeconfigContextWhoseNameIsTakenIsRenamed() throws IOException {
		ClusterCatalog taken = ClusterCatalog.from(properties(List.of(entry("weu-admin", Provider.SELF_MANAGED)), true,
				true, kubeconfig("weu-admin", AKS_SERVER)));
		assertThat(names(taken)).containsExactly("weu-admin", "weu-admin-kubeconfig", ClusterCatalog.DEMO_NAME);
		assertThat(taken.find("weu-admin-kubeconfig").orElseThrow().access().kubeconfigContext())
			.isEqualTo("weu-admin");

		ClusterCatalog demoContext = ClusterCatalog
			.from(properties(List.of(), true, true, kubeconfig("demo", AKS_SERVER)));
		assertThat(names(demoContext)).containsExactly("demo-kubeconfig", ClusterCatalog.DEMO_NAME);
		assertThat(demoContext.find(ClusterCatalog.DEMO_NAME).orElseThrow().isDemo()).isTrue();
	}

	@Test
	void longKubeconfigContextWhoseNameIsTakenDoesNotBreakTheCatalog() throws IOException {
		String context = "arn:aws:eks:ap-southeast-2:123456789012:cluster/payments-platform-production";
		String derived = ClusterCatalog.nameFor(context);
		assertThat(derived).hasSizeGreaterThan(52);
		ClusterEntry configured = new ClusterEntry(derived, Provider.EKS, null, true, null, null, null, null, null);
		Path file = kubeconfig(context, "https://0123456789ABCDEF.gr7.ap-southeast-2.eks.amazonaws.com");

		ClusterCatalog catalog = ClusterCatalog.from(properties(List.of(configured), true, true, file));

		assertThat(names(catalog)).contains(derived, ClusterCatalog.DEMO_NAME).doesNotHaveDuplicates();
		assertThat(catalog.find(derived).orElseThrow().access().mode()).isEqualTo(KubeAccess.Mode.IN_CLUSTER);
	}

	@Test
	void eksArnContextBecomesAValidClusterName() throws IOException {
		String name = ClusterCatalog.nameFor(EKS_ARN);

		assertThat(name).isEqualTo("arn-aws-eks-eu-west-1-123456789012-cluster-prod-eu");
		Path file = kubeconfig(EKS_ARN, "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com");
		ClusterCatalog catalog = ClusterCatalog.from(properties(List.of(), false, true, file));
		assertThat(catalog.all()).singleElement().satisfies((cluster) -> {
			assertThat(cluster.name()).isEqualTo(name);
			assertThat(cluster.provider()).isEqualTo(Provider.EKS);
			assertThat(cluster.access().kubeconfigContext()).isEqualTo(EKS_ARN);
		});
	}

	@Test
	void longOrOddContextNamesBecomeValidClusterNames() {
		String longArn = "arn:aws:eks:ap-southeast-2:123456789012:cluster/the-payments-platform-production-cluster-number-one";
		for (String context : List.of(longArn, "gke_my-project_europe-west1_prod", "Admin@Prod Cluster", "<x>", "---",
				"ÜBER/cluster", "a")) {
			String name = ClusterCatalog.nameFor(context);
			assertThat(name).as(context).hasSizeBetween(1, 63).matches("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
			assertThat(new Cluster(name, Provider.SELF_MANAGED, KubeAccess.context(context, null), null, "kubeconfig")
				.name()).isEqualTo(name);
		}
		assertThat(ClusterCatalog.nameFor(longArn)).endsWith("cluster-number-one");
		assertThat(ClusterCatalog.nameFor("Admin@Prod Cluster")).isEqualTo("admin-prod-cluster");
	}

	// ---------------------------------------------------------------- configured
	// clusters

	@Test
	void selfManagedClusterGetsTwoGibQuota() {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(entry("kubeadm-lab", Provider.SELF_MANAGED)), false, false, null));

		Cluster cluster = catalog.find("kubeadm-lab").orElseThrow();
		assertThat(cluster.etcdQuota()).isEqualTo(DataSize.ofGigabytes(2));
		assertThat(cluster.etcdQuota().toBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
		assertThat(cluster.origin()).isEqualTo("configuration");
		assertThat(cluster.access().mode()).isEqualTo(KubeAccess.Mode.NONE);
	}

	@Test
	void etcdQuotaOverrideWins() {
		ClusterEntry entry = new ClusterEntry("kubeadm-lab", Provider.SELF_MANAGED, "lab", false,
				DataSize.ofGigabytes(6), null, null, null, null);

		Cluster cluster = ClusterCatalog.from(properties(List.of(entry), false, false, null))
			.find("kubeadm-lab")
			.orElseThrow();

		assertThat(cluster.etcdQuota()).isEqualTo(DataSize.ofGigabytes(6));
		assertThat(cluster.access()).isEqualTo(KubeAccess.context("lab", null));
	}

	@Test
	void inClusterEntryUsesTheServiceAccount() {
		ClusterEntry entry = new ClusterEntry("here", Provider.AKS, "ignored", true, null, null, null, null, null);

		Cluster cluster = ClusterCatalog.from(properties(List.of(entry), false, false, null))
			.find("here")
			.orElseThrow();

		assertThat(cluster.access().mode()).isEqualTo(KubeAccess.Mode.IN_CLUSTER);
		assertThat(cluster.etcdQuota()).isEqualTo(DataSize.ofGigabytes(8));
	}

	@Test
	void configuredClusterNamedDemoIsRejectedWhileTheDemoIsEnabled() {
		ClusterProperties properties = properties(List.of(entry("demo", Provider.AKS)), true, false, null);

		assertThatIllegalArgumentException().isThrownBy(() -> ClusterCatalog.from(properties))
			.withMessageContaining("'demo'")
			.withMessageContaining("built-in demo")
			.withMessageContaining("cpdoctor.demo.enabled=false");
	}

	@Test
	void configuredClusterMayBeNamedDemoWhenTheDemoIsDisabled() {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(entry("demo", Provider.AKS)), false, false, null));

		assertThat(catalog.all()).singleElement().satisfies((cluster) -> {
			assertThat(cluster.name()).isEqualTo("demo");
			assertThat(cluster.isDemo()).isFalse();
		});
	}

	@Test
	void duplicateNamesAreRejected() {
		ClusterProperties properties = properties(
				List.of(entry("prod", Provider.AKS), entry("stage", Provider.AKS), entry("prod", Provider.EKS)), false,
				false, null);

		assertThatIllegalArgumentException().isThrownBy(() -> ClusterCatalog.from(properties))
			.withMessageContaining("'prod'")
			.withMessageContaining("twice");
	}

	@Test
	void invalidNamesAreRejectedByCluster() {
		String tooLong = "a".repeat(64);
		for (String name : List.of("Prod", "my cluster", "<x>", "", "-prod", "prod-", "prod/eu", tooLong)) {
			assertThatIllegalArgumentException().as(name)
				.isThrownBy(() -> new Cluster(name, Provider.AKS, KubeAccess.none(), null, "configuration"))
				.withMessageContaining("is not valid");
		}
		assertThat(new Cluster("a".repeat(63), Provider.AKS, KubeAccess.none(), null, "configuration").name())
			.hasSize(63);
		assertThat(new Cluster("prod-weu.2_b", Provider.AKS, KubeAccess.none(), null, "configuration").name())
			.isEqualTo("prod-weu.2_b");
	}

	@Test
	void invalidConfiguredNameFailsTheCatalog() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> ClusterCatalog.from(properties(List.of(entry("My Cluster", Provider.AKS)), false, false, null)))
			.withMessageContaining("My Cluster");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClusterCatalog.from(properties(List.of(entry(" ", Provider.AKS)), false, false, null)))
			.withMessageContaining("needs a name");
	}

	@Test
	void nonPositiveQuotaIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new Cluster("prod", Provider.AKS, KubeAccess.none(), DataSize.ofBytes(0), "configuration"))
			.withMessageContaining("quota");
	}

	// ---------------------------------------------------------------- default cluster

	@Test
	void defaultClusterPrefersConfiguredOverDemo() throws IOException {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(entry("prod", Provider.AKS), entry("stage", Provider.AKS)), true, true,
					kubeconfig("weu-admin", AKS_SERVER)));

		assertThat(names(catalog)).containsExactly("prod", "stage", "weu-admin", ClusterCatalog.DEMO_NAME);
		assertThat(catalog.defaultCluster()).map(Cluster::name).contains("prod");
	}

	@Test
	void defaultClusterPrefersDemoOverDiscoveredKubeconfigContext() throws IOException {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(), true, true, kubeconfig("weu-admin", AKS_SERVER)));

		assertThat(names(catalog).get(0)).isEqualTo("weu-admin");
		assertThat(catalog.defaultCluster()).map(Cluster::name).contains(ClusterCatalog.DEMO_NAME);
	}

	@Test
	void defaultClusterFallsBackToDiscoveredKubeconfigContext() throws IOException {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(), false, true, kubeconfig("weu-admin", AKS_SERVER)));

		assertThat(catalog.defaultCluster()).map(Cluster::name).contains("weu-admin");
	}

	// ---------------------------------------------------------------- binding

	@Test
	void bindsKebabCaseProviderAndDataSizeQuota() {
		Map<String, String> values = new HashMap<>();
		values.put("cpdoctor.demo.enabled", "true");
		values.put("cpdoctor.demo.seed", "42");
		values.put("cpdoctor.kubeconfig.offer-current-context", "false");
		values.put("cpdoctor.clusters[0].name", "kubeadm-lab");
		values.put("cpdoctor.clusters[0].provider", "self-managed");
		values.put("cpdoctor.clusters[0].etcd-quota", "4GB");
		values.put("cpdoctor.clusters[0].context", "lab-admin");
		values.put("cpdoctor.clusters[1].name", "prod-weu");
		values.put("cpdoctor.clusters[1].provider", "aks");
		values.put("cpdoctor.clusters[1].in-cluster", "true");
		values.put("cpdoctor.clusters[2].name", "plain");

		ClusterProperties properties = bind(values);

		assertThat(properties.demo().seed()).isEqualTo(42);
		assertThat(properties.kubeconfig().offerCurrentContext()).isFalse();
		assertThat(properties.clusters()).hasSize(3);
		ClusterEntry lab = properties.clusters().get(0);
		assertThat(lab.provider()).isEqualTo(Provider.SELF_MANAGED);
		assertThat(lab.etcdQuota()).isEqualTo(DataSize.ofGigabytes(4));
		assertThat(lab.etcdQuota().toBytes()).isEqualTo(4L * 1024 * 1024 * 1024);
		assertThat(lab.context()).isEqualTo("lab-admin");
		assertThat(lab.inCluster()).isFalse();
		assertThat(properties.clusters().get(1).provider()).isEqualTo(Provider.AKS);
		assertThat(properties.clusters().get(1).inCluster()).isTrue();
		assertThat(properties.clusters().get(2).provider()).as("default provider").isEqualTo(Provider.SELF_MANAGED);

		ClusterCatalog catalog = ClusterCatalog.from(properties);
		assertThat(names(catalog)).containsExactly("kubeadm-lab", "prod-weu", "plain", ClusterCatalog.DEMO_NAME);
		assertThat(catalog.find("kubeadm-lab").orElseThrow().etcdQuota()).isEqualTo(DataSize.ofGigabytes(4));
		assertThat(catalog.find("prod-weu").orElseThrow().etcdQuota()).isEqualTo(DataSize.ofGigabytes(8));
		assertThat(catalog.find("plain").orElseThrow().etcdQuota()).isEqualTo(DataSize.ofGigabytes(2));
		assertThat(catalog.defaultCluster()).map(Cluster::name).contains("kubeadm-lab");
	}

	@Test
	void bindsKubeconfigPath() throws IOException {
		Path file = kubeconfig("weu-admin", AKS_SERVER);

		ClusterProperties properties = bind(Map.of("cpdoctor.kubeconfig.path", file.toString()));

		assertThat(properties.kubeconfig().path()).isEqualTo(file);
		assertThat(names(ClusterCatalog.from(properties))).containsExactly("weu-admin", ClusterCatalog.DEMO_NAME);
	}

}
