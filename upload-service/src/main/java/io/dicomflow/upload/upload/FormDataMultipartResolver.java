package io.dicomflow.upload.upload;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;

/**
 * The container's multipart parsing (spring.servlet.multipart) for every route except {@code POST /api/uploads},
 * which reads its body itself ({@link FormDataFiles}): parsed by the container, the body would already be on disk
 * when the controller runs. Replaces Spring Boot's resolver bean of the same name.
 */
@Configuration(proxyBeanMethods = false)
class FormDataMultipartResolver {

	@Bean(name = "multipartResolver")
	MultipartResolver multipartResolver(@Value("${spring.servlet.multipart.resolve-lazily:false}") boolean lazily,
			@Value("${spring.servlet.multipart.strict-servlet-compliance:false}") boolean strict) {
		StandardServletMultipartResolver resolver = new StandardServletMultipartResolver() {
			@Override
			public boolean isMultipart(HttpServletRequest request) {
				return !readsItsOwnBody(request) && super.isMultipart(request);
			}
		};
		resolver.setResolveLazily(lazily);
		resolver.setStrictServletCompliance(strict);
		return resolver;
	}

	static boolean readsItsOwnBody(HttpServletRequest request) {
		return "POST".equals(request.getMethod())
				&& (request.getContextPath() + "/api/uploads").equals(request.getRequestURI());
	}

}
