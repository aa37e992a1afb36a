package io.dicomflow.upload.replica;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Only with {@code dicomflow.datasource.replica.url}: then this data source replaces Boot's, built from the
 * same {@code spring.datasource.*} (and {@code spring.datasource.hikari.*}) properties for the primary.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "dicomflow.datasource.replica", name = "url")
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

}
