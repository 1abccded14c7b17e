package dev.cpdoctor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CpDoctorApplication {

	public static void main(String[] args) {
		SpringApplication.run(CpDoctorApplication.class, args);
	}

}
