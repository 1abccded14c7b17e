package dev.cpdoctor.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * Security baseline: on the loopback interface (the default) the dashboard is open to
 * whoever runs it; bound anywhere else every page needs a login, by configured users
 * (form and HTTP basic) and, when an OIDC client registration is configured, single
 * sign-on. Liveness and readiness stay open for probes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService(SecurityProperties properties) {
		List<UserDetails> users = properties.users().stream().map(SecurityConfiguration::validated).toList();
		return new InMemoryUserDetailsManager(users);
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, Environment environment, SecurityProperties properties,
			ObjectProvider<ClientRegistrationRepository> oidc) throws Exception {
		String address = environment.getProperty("server.address", "");
		// A separate management port listens where management.server.address says
		// (default: server.address).
		String managementAddress = (environment.getProperty("management.server.port") != null)
				? environment.getProperty("management.server.address", address) : address;
		// The JSON API is for scripts (curl, kubectl pipes), which send no Origin header.
		// A browser always sends Origin on a cross-site POST: that one still needs the
		// CSRF token it cannot have. The etcd page's "scan again" form carries no token:
		// the page is cached for every viewer, and a token would start a session after
		// the response is committed. It is accepted from a page of this very origin only
		// (browsers send Origin on every form POST), so another site cannot post it.
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(
				(request) -> request.getRequestURI().startsWith("/api/") && request.getHeader("Origin") == null,
				(request) -> request.getRequestURI().equals("/etcd/scan") && sameOrigin(request),
				// the Audit page's "Import audit log" form, likewise
				(request) -> request.getRequestURI().matches("/api/v1/clusters/[^/]+/audit/import")
						&& sameOrigin(request)));
		if (isLoopback(address) && isLoopback(managementAddress)) {
			log.info("Listening on {} (loopback): no login required", address);
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			// Without a login, a page elsewhere could still reach us through DNS
			// rebinding (a name of theirs resolving to 127.0.0.1): only loopback names
			// are accepted in the Host header.
			http.addFilterBefore(new LoopbackHostFilter(), HeaderWriterFilter.class);
			return http.build();
		}
		if (!isLoopback(managementAddress) && isLoopback(address)) {
			address = managementAddress;
		}
		requireLogin(http, address, properties, oidc.getIfAvailable() != null);
		return http.build();
	}

	/**
	 * Bound beyond loopback every page needs a login - configured users (form and HTTP
	 * basic) and/or OIDC single sign-on - but the probes, static files and the audit
	 * webhook (which brings its own bearer token).
	 */
	private static void requireLogin(HttpSecurity http, String address, SecurityProperties properties, boolean sso)
			throws Exception {
		if (properties.users().isEmpty() && !sso) {
			throw new IllegalStateException("server.address is '" + address + "', which is reachable from other hosts,"
					+ " but no login is configured: set cpdoctor.security.users[0].name/.password or an OIDC client"
					+ " registration (spring.security.oauth2.client.registration.*), or listen on 127.0.0.1");
		}
		log.info("Listening on '{}': login required ({} local users{})", address, properties.users().size(),
				sso ? ", OIDC" : "");
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/actuator/health/liveness", "/actuator/health/readiness")
					.permitAll()
					.requestMatchers("/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/error")
					.permitAll()
					// The apiserver's audit webhook has no login: it brings the cluster's
					// bearer token, which the receiver checks (and without a configured
					// token the receiver is closed).
					.requestMatchers(HttpMethod.POST, "/api/v1/clusters/*/audit")
					.permitAll()
					// Firehose's HTTP endpoint delivery likewise brings the token, as its
					// access key.
					.requestMatchers(HttpMethod.POST, "/api/v1/clusters/*/audit/firehose")
					.permitAll()
					.anyRequest()
					.authenticated());
		if (!properties.users().isEmpty()) {
			http.formLogin(Customizer.withDefaults());
			http.httpBasic(Customizer.withDefaults());
		}
		if (sso) {
			http.oauth2Login(Customizer.withDefaults());
		}
	}

	/**
	 * A user whose password lacks its {id} prefix could never log in: say so at start-up.
	 */
	static UserDetails validated(SecurityProperties.User user) {
		if (user.name() == null || user.name().isBlank()) {
			throw new IllegalStateException("cpdoctor.security.users[]: every user needs a name");
		}
		String password = user.password();
		if (password == null || !password.matches("^\\{[a-zA-Z0-9_-]+\\}.+")) {
			throw new IllegalStateException("cpdoctor.security.users[] '" + user.name()
					+ "': the password needs its encoding prefix, e.g. {bcrypt}$2a$10$... or {noop}secret");
		}
		return User.withUsername(user.name()).password(password).roles("USER").build();
	}

	/**
	 * Whether the request's Origin header names the host it was sent to (scheme, host and
	 * port).
	 */
	static boolean sameOrigin(HttpServletRequest request) {
		String origin = request.getHeader("Origin");
		String host = request.getHeader("Host");
		if (origin == null || host == null) {
			return false;
		}
		return origin.equals(request.getScheme() + "://" + host);
	}

	/** Empty means every interface, which is not loopback. */
	static boolean isLoopback(String address) {
		if (address == null || address.isBlank()) {
			return false;
		}
		try {
			return InetAddress.getByName(address.trim()).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
