package io.dicomflow.worker.security;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param allowedOrigins browser origins that may call the admin API (the portal's admin view); empty: none, so a
 * page of another site cannot drive it with an admin's token even if it had one
 */
@Validated
@ConfigurationProperties("dicomflow.admin")
record AdminCorsProperties(@DefaultValue @NotNull List<String> allowedOrigins) {
}
