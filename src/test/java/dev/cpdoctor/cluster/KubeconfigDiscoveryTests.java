package dev.cpdoctor.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.cluster.ClusterProperties.ClusterEntry;

import static dev.cpdoctor.cluster.CatalogFixtures.AKS_SERVER;
import static dev.cpdoctor.cluster.CatalogFixtures.EKS_ARN;
import static dev.cpdoctor.cluster.CatalogFixtures.bind;
import static dev.cpdoctor.cluster.CatalogFixtures.entry;
import static dev.cpdoctor.cluster.CatalogFixtures.kubeconfig;
import static dev.cpdoctor.cluster.CatalogFixtures.missing;
import static dev.cpdoctor.cluster.CatalogFixtures.names;
import static dev.cpdoctor.cluster.CatalogFixtures.properties;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubeconfig's current context offered as a cluster, as kubectl finds it: missing or
 * garbled files ignored, several files merged, its name made a valid cluster name and
 * never one already taken.
 */
class KubeconfigDiscoveryTests {

	@TempDir
	Path dir;

	@Test
	void currentKubeconfigContextIsOfferedAsAksCluster() throws IOException {
		Path file = kubeconfig(this.dir, "weu-admin", AKS_SERVER);

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
		Path file = kubeconfig(this.dir, "weu-admin", AKS_SERVER);

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

		for (Path file : List.of(missing(this.dir), garbled, list, noCurrent, nonString, blank, empty, binary,
				directory)) {
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
		Path file = kubeconfig(this.dir, "weu-admin", AKS_SERVER);
		ClusterEntry configured = new ClusterEntry("prod-weu", Provider.AKS, "weu-admin", false, null, null, null, null,
				null);

		ClusterCatalog catalog = ClusterCatalog.from(properties(List.of(configured), true, true, file));

		assertThat(names(catalog)).containsExactly("prod-weu", ClusterCatalog.DEMO_NAME);
	}

	@Test
	void kubeconfigContextWhoseNameIsTakenIsRenamed() throws IOException {
		ClusterCatalog taken = ClusterCatalog.from(properties(List.of(entry("weu-admin", Provider.SELF_MANAGED)), true,
				true, kubeconfig(this.dir, "weu-admin", AKS_SERVER)));
		assertThat(names(taken)).containsExactly("weu-admin", "weu-admin-kubeconfig", ClusterCatalog.DEMO_NAME);
		assertThat(taken.find("weu-admin-kubeconfig").orElseThrow().access().kubeconfigContext())
			.isEqualTo("weu-admin");

		ClusterCatalog demoContext = ClusterCatalog
			.from(properties(List.of(), true, true, kubeconfig(this.dir, "demo", AKS_SERVER)));
		assertThat(names(demoContext)).containsExactly("demo-kubeconfig", ClusterCatalog.DEMO_NAME);
		assertThat(demoContext.find(ClusterCatalog.DEMO_NAME).orElseThrow().isDemo()).isTrue();
	}

	@Test
	void longKubeconfigContextWhoseNameIsTakenDoesNotBreakTheCatalog() throws IOException {
		String context = "arn:aws:eks:ap-southeast-2:123456789012:cluster/payments-platform-production";
		String derived = ClusterCatalog.nameFor(context);
		assertThat(derived).hasSizeGreaterThan(52);
		ClusterEntry configured = new ClusterEntry(derived, Provider.EKS, null, true, null, null, null, null, null);
		Path file = kubeconfig(this.dir, context, "https://0123456789ABCDEF.gr7.ap-southeast-2.eks.amazonaws.com");

		ClusterCatalog catalog = ClusterCatalog.from(properties(List.of(configured), true, true, file));

		assertThat(names(catalog)).contains(derived, ClusterCatalog.DEMO_NAME).doesNotHaveDuplicates();
		assertThat(catalog.find(derived).orElseThrow().access().mode()).isEqualTo(KubeAccess.Mode.IN_CLUSTER);
	}

	@Test
	void eksArnContextBecomesAValidClusterName() throws IOException {
		String name = ClusterCatalog.nameFor(EKS_ARN);

		assertThat(name).isEqualTo("arn-aws-eks-eu-west-1-123456789012-cluster-prod-eu");
		Path file = kubeconfig(this.dir, EKS_ARN, "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com");
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

	@Test
	void bindsKubeconfigPath() throws IOException {
		Path file = kubeconfig(this.dir, "weu-admin", AKS_SERVER);

		ClusterProperties properties = bind(Map.of("cpdoctor.kubeconfig.path", file.toString()));

		assertThat(properties.kubeconfig().path()).isEqualTo(file);
		assertThat(names(ClusterCatalog.from(properties))).containsExactly("weu-admin", ClusterCatalog.DEMO_NAME);
	}

}
