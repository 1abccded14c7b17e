package dev.cpdoctor.troubleshoot.remedy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlowSchemaRemedyTests {

	private static final Pattern DNS_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static ThrottleRequest request(ApfSubject subject) {
		return new ThrottleRequest(subject, List.of("list"), List.of(""), List.of("pods"), 1);
	}

	private static FlowSchemaRemedy remedy(ApfSubject subject, FlowcontrolVersion version) {
		return new FlowSchemaRemedy("demo", request(subject), version, "the apiserver serves v1 (API discovery)");
	}

	@Test
	void namesAreReadableDeterministicAndValidObjectNames() {
		ApfSubject sa = ApfSubject.serviceAccount("acme/inventory-controller");
		String name = FlowSchemaRemedy.objectName(sa);
		assertThat(name).matches("cpdoctor-throttle-sa-acme-inventory-controller-[0-9a-f]{8}");
		assertThat(FlowSchemaRemedy.objectName(ApfSubject.serviceAccount("acme/inventory-controller"))).isEqualTo(name);
		assertThat(FlowSchemaRemedy.objectName(ApfSubject.user("https://issuer.example/#Alice:B")))
			.matches("cpdoctor-throttle-user-https-issuer-example-alice-b-[0-9a-f]{8}");
	}

	@Test
	void namesOfDifferentSubjectsDifferEvenWhenTheirReadablePartsAgree() {
		List<ApfSubject> subjects = List.of(ApfSubject.serviceAccount("acme/a-b"),
				ApfSubject.serviceAccount("acme-a/b"), ApfSubject.serviceAccount("acme/a.b"), ApfSubject.user("Alice"),
				ApfSubject.user("alice"), ApfSubject.group("alice"), ApfSubject.user("system:serviceaccount:acme:a-b"));
		Set<String> names = new HashSet<>();
		subjects.forEach((s) -> names.add(FlowSchemaRemedy.objectName(s)));
		assertThat(names).hasSize(subjects.size());
	}

	@Test
	void longAndOddNamesStayValidSubdomainsOfAtMost253Characters() {
		for (ApfSubject subject : List.of(ApfSubject.user("U".repeat(253)), ApfSubject.user("_".repeat(100)),
				ApfSubject.group("-.-:@/+=#~"),
				ApfSubject.serviceAccount("a".repeat(63) + "/" + "b.".repeat(126) + "b"),
				ApfSubject.user("a-".repeat(126) + "b"))) {
			String name = FlowSchemaRemedy.objectName(subject);
			assertThat(name.length()).as(name).isLessThanOrEqualTo(253);
			assertThat(name).as(subject.name()).matches(DNS_SUBDOMAIN);
			assertThat(name).startsWith(FlowSchemaRemedy.NAME_PREFIX);
		}
	}

	@Test
	void seatsFollowTheApiserversFormulaForDefaultLimits() {
		assertThat(remedy(ApfSubject.user("alice"), FlowcontrolVersion.V1).seatsOnDefaultApiserver()).isEqualTo(3);
		FlowSchemaRemedy five = new FlowSchemaRemedy("demo",
				new ThrottleRequest(ApfSubject.user("alice"), List.of("list"), List.of(""), List.of("pods"), 5),
				FlowcontrolVersion.V1, "x");
		assertThat(five.seatsOnDefaultApiserver()).isEqualTo(12);
	}

	@Test
	void borrowingIsLimitedWhereTheVersionCanSayIt() {
		assertThat(remedy(ApfSubject.user("alice"), FlowcontrolVersion.V1).borrowingLimitPercent()).isZero();
		assertThat(remedy(ApfSubject.user("alice"), FlowcontrolVersion.V1BETA3).borrowingLimitPercent()).isZero();
		assertThat(remedy(ApfSubject.user("alice"), FlowcontrolVersion.V1BETA2).borrowingLimitPercent()).isNull();
	}

	@Test
	void theCommentSaysWhatItDoesWhichVersionWhyAndHowToWatchIt() {
		FlowSchemaRemedy remedy = remedy(ApfSubject.serviceAccount("acme/inventory-controller"),
				FlowcontrolVersion.V1BETA3);
		String comment = String.join("\n", remedy.comment());
		assertThat(comment).contains("cluster demo")
			.contains("ServiceAccount acme/inventory-controller")
			.contains("verbs list; resources pods; apiGroups \"\" (core)")
			.contains(
					"flowcontrol.apiserver.k8s.io/v1beta3 (nominalConcurrencyShares): the apiserver serves v1 (API discovery)")
			.contains("kubectl apply -f")
			.contains("apiserver_flowcontrol_rejected_requests_total{flow_schema=\"" + remedy.name() + "\"}")
			.contains("precedence 850");
		assertThat(String.join("\n", remedy(ApfSubject.user("alice"), FlowcontrolVersion.V1BETA2).comment()))
			.contains("(assuredConcurrencyShares)")
			.contains("use v1beta3 there");
	}

	@Test
	void aHostileVersionReasonCannotLeaveItsCommentLine() {
		FlowSchemaRemedy remedy = new FlowSchemaRemedy("demo", request(ApfSubject.user("alice")), FlowcontrolVersion.V1,
				"HTTP 500\n---\nkind: Secret\r\u2028\u2029\u0085data: {}");
		for (String line : remedy.comment()) {
			assertThat(line).matches("[ -~]*");
		}
		assertThat(remedy.versionReason()).isEqualTo("HTTP 500?---?kind: Secret????data: {}");
	}

}
