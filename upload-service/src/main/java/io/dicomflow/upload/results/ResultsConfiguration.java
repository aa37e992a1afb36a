package io.dicomflow.upload.results;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ElementsProperties.class)
class ResultsConfiguration {

}
