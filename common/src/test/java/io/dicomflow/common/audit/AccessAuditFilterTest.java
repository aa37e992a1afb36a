package io.dicomflow.common.audit;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a route names its resource in the audit trail, and how a record's values are written to the log. */
class AccessAuditFilterTest {

	@Test
	void theResourceIsTheLastIdentifiedMemberOfACollection() {
		assertThat(resource("/api/uploads/{id}", Map.of("id", "u-1"))).isEqualTo("upload u-1");
		assertThat(resource("/api/uploads", Map.of())).isEqualTo("upload null");
		assertThat(resource("/api/uploads/sessions/{id}/files", Map.of("id", "s-1"))).isEqualTo("upload-session s-1");
		assertThat(resource("/api/uploads/tus/{id}", Map.of("id", "t-1"))).isEqualTo("tus-upload t-1");
		assertThat(resource("/api/elements/{id}/versions", Map.of("id", "e-1"))).isEqualTo("element e-1");
		assertThat(resource("/dicomweb/studies/{study}/series/{series}/metadata", Map.of("study", "1.2", "series", "1.2.3")))
			.isEqualTo("series 1.2.3");
		assertThat(resource("/dicomweb/studies/{study}/series/{series}/instances/{instance}",
				Map.of("study", "1.2", "series", "1.2.3", "instance", "1.2.3.4")))
			.isEqualTo("instance 1.2.3.4");
		assertThat(resource("/dicomweb/studies", Map.of())).isEqualTo("study null");
		assertThat(resource("/api/admin/audit", Map.of())).isEqualTo("audit null");
		assertThat(resource("/api/admin/analysis/results/{id}/reanalysis", Map.of("id", "r-1"))).isEqualTo("result r-1");
		// no handler matched (refused by the security filters): the raw path, read the same way
		assertThat(AccessAuditFilter.Resource.of("/api/uploads/abc", Map.of(), false))
			.isEqualTo(new AccessAuditFilter.Resource("upload", "abc"));
	}

	@Test
	void logValuesCannotForgeFieldsOrLines() {
		assertThat(AuditTrail.value("alice")).isEqualTo("alice");
		assertThat(AuditTrail.value(null)).isEqualTo("-");
		assertThat(AuditTrail.value("a b")).isEqualTo("\"a b\"");
		assertThat(AuditTrail.value("x outcome=ALLOWED")).isEqualTo("\"x outcome=ALLOWED\"");
		assertThat(AuditTrail.value("evil\nINFO forged")).isEqualTo("\"evil\\x0aINFO forged\"").doesNotContain("\n");
		assertThat(AuditTrail.value("q\"uote")).isEqualTo("\"q\\\"uote\"");
	}

	@Test
	void statusesMapToOutcomesAndMethodsToActions() {
		assertThat(AuditRecord.Outcome.of(200)).isEqualTo(AuditRecord.Outcome.ALLOWED);
		assertThat(AuditRecord.Outcome.of(204)).isEqualTo(AuditRecord.Outcome.ALLOWED);
		assertThat(AuditRecord.Outcome.of(401)).isEqualTo(AuditRecord.Outcome.DENIED);
		assertThat(AuditRecord.Outcome.of(403)).isEqualTo(AuditRecord.Outcome.DENIED);
		assertThat(AuditRecord.Outcome.of(404)).isEqualTo(AuditRecord.Outcome.MISSING);
		assertThat(AuditRecord.Outcome.of(409)).isEqualTo(AuditRecord.Outcome.REFUSED);
		assertThat(AuditRecord.Outcome.of(503)).isEqualTo(AuditRecord.Outcome.FAILED);
		assertThat(AuditRecord.Action.of("GET")).isEqualTo(AuditRecord.Action.READ);
		assertThat(AuditRecord.Action.of("POST")).isEqualTo(AuditRecord.Action.CREATE);
		assertThat(AuditRecord.Action.of("PATCH")).isEqualTo(AuditRecord.Action.UPDATE);
		assertThat(AuditRecord.Action.of("DELETE")).isEqualTo(AuditRecord.Action.DELETE);
	}

	private static String resource(String route, Map<String, String> variables) {
		AccessAuditFilter.Resource resource = AccessAuditFilter.Resource.of(route, variables, true);
		return resource.type() + " " + resource.id();
	}

}
