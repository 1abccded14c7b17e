package dev.cpdoctor;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Control Plane Doctor: the dashboard SREs open first when a Kubernetes control plane
 * hurts. Each area wires itself (one configuration per package); the clock is everyone's.
 */
@SpringBootApplication
public class CpDoctorApplication {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	public static void main(String[] args) {
		SpringApplication.run(CpDoctorApplication.class, args);
	}

}
