package io.dicomflow.upload.results;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ElementsProperties.class)
class ResultsConfiguration {

	/** The request log of the Results API only, ahead of Spring Security so that refused requests are logged. */
	@Bean
	FilterRegistrationBean<ResultsRequestLog> resultsRequestLog() {
		FilterRegistrationBean<ResultsRequestLog> registration = new FilterRegistrationBean<>(new ResultsRequestLog());
		registration.addUrlPatterns(ResultsRequestLog.BASE, ResultsRequestLog.BASE + "/*");
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

}
