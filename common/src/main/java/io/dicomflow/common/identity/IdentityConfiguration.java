package io.dicomflow.common.identity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Token validation plus the user directory. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
@Import(JwtConfiguration.class)
public class IdentityConfiguration {

	@Bean
	UserDirectory userDirectory(IdentityProperties properties) {
		return new UserDirectory(properties);
	}

}
