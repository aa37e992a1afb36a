package io.dicomflow.upload.backpressure;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Answers new uploads (any POST/PUT/PATCH that brings files: REST, sessions, DICOMweb STOW, resumable uploads)
 * with 503 and {@code Retry-After} while the gate says the pipeline is behind. Reads are never refused, so
 * clients can still follow what they already sent. The check runs before the body is read.
 */
@Configuration(proxyBeanMethods = false)
class BackpressureInterceptor implements HandlerInterceptor, WebMvcConfigurer {

	private final BackpressureGate gate;

	BackpressureInterceptor(BackpressureGate gate) {
		this.gate = gate;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this)
			.addPathPatterns("/api/uploads", "/api/uploads/sessions/*/files", "/api/uploads/tus/**",
					"/dicomweb/studies", "/dicomweb/studies/*");
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		String method = request.getMethod();
		boolean writes = "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
		if (!writes || !this.gate.overloaded()) {
			return true;
		}
		long seconds = Math.max(1, this.gate.retryAfter().toSeconds());
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// bytes, not the writer: the writer would add a charset parameter that problem+json does not have
		response.getOutputStream()
			.write(("{\"type\":\"https://dicomflow.io/problems/busy\",\"title\":\"Busy\",\"status\":503,"
					+ "\"detail\":\"the analysis pipeline is behind; retry after " + seconds + " seconds\"}")
				.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return false;
	}

}
