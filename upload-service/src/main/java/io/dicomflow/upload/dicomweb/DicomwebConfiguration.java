package io.dicomflow.upload.dicomweb;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DicomwebProperties.class)
class DicomwebConfiguration {

}
