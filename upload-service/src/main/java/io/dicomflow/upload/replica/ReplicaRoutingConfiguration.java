package io.dicomflow.upload.replica;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Only with a non-empty {@code dicomflow.datasource.replica.url} ({@code DICOMFLOW_DB_REPLICA_URL}): then this data source replaces Boot's, built from the
 * same {@code spring.datasource.*} (and {@code spring.datasource.hikari.*}) properties for the primary.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ReplicaRoutingConfiguration.ReplicaConfigured.class)
@EnableConfigurationProperties({ ReplicaProperties.class, DataSourceProperties.class })
class ReplicaRoutingConfiguration {

	@Bean
	WriteMarkers writeMarkers() {
		return new WriteMarkers();
	}

	@Bean
	ReplicaRouting replicaRouting(DataSourceProperties dataSource, Environment environment, ReplicaProperties replica,
			WriteMarkers markers, ObjectProvider<MeterRegistry> meters) {
		HikariDataSource primary = dataSource.initializeDataSourceBuilder().type(HikariDataSource.class).build();
		Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(primary));
		if (primary.getPoolName() == null) {
			primary.setPoolName("primary");
		}
		return new ReplicaRouting(primary, replica, markers, meters.getIfAvailable());
	}

	@Bean
	@Primary
	DataSource dataSource(ReplicaRouting routing) {
		return routing.dataSource();
	}

	@Bean
	WriteMarkerListener writeMarkerListener(ReplicaRouting routing, WriteMarkers markers) {
		return new WriteMarkerListener(routing.primary(), markers);
	}

	/** A non-empty URL: the config file maps an unset environment variable to an empty one. */
	static class ReplicaConfigured implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return StringUtils.hasText(context.getEnvironment().getProperty("dicomflow.datasource.replica.url"));
		}

	}

}
