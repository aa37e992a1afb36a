package io.dicomflow.common.audit;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The access audit trail of a service; its HTTP security adds the filter (see {@code BearerTokenSecurity}). */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

	@Bean
	AuditTrail auditTrail(JdbcTemplate jdbc, @Value("${spring.application.name:dicomflow}") String service) {
		return new AuditTrail(jdbc, service);
	}

}
