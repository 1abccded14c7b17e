package dev.cpdoctor.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may see the dashboard when it listens beyond the loopback interface, prefix
 * {@code cpdoctor.security}.
 *
 * @param users local users; passwords carry their encoding, e.g. {bcrypt}$2a$10$... or
 * {noop}secret
 */
@ConfigurationProperties("cpdoctor.security")
public record SecurityProperties(@DefaultValue List<User> users) {

	/**
	 * @param name login name
	 * @param password encoded password with its {id} prefix
	 */
	public record User(String name, String password) {
	}

}
