package io.dicomflow.common.startup;

import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;

/**
 * Every service (and the standalone product) waits for an unreachable database at start-up instead of
 * exiting; an auto-configuration so that each application gets it without importing it.
 */
@AutoConfiguration(before = FlywayAutoConfiguration.class)
@ConditionalOnClass(Flyway.class)
@EnableConfigurationProperties(StartupProperties.class)
public class StartupConfiguration {

	@Bean
	@ConditionalOnMissingBean(FlywayMigrationStrategy.class)
	WaitingMigrationStrategy waitingMigrationStrategy(StartupProperties properties) {
		return new WaitingMigrationStrategy(properties);
	}

}
