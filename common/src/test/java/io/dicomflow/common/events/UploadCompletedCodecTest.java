package io.dicomflow.common.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code session} was added to {@code UploadCompleted} without a schema version change, so both directions of a
 * rolling upgrade must hold: an event written before the field existed still decodes (as an implicit upload),
 * and the flag survives a round trip.
 */
class UploadCompletedCodecTest {

	private final EventCodec codec = new EventCodec();

	@Test
	void anEventWrittenBeforeTheSessionFlagReadsAsAnImplicitUpload() {
		UUID upload = UUID.randomUUID();
		UUID file = UUID.randomUUID();
		String old = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"UploadCompleted\",\"schemaVersion\":1,"
				+ "\"occurredAt\":\"2026-12-01T10:00:00Z\",\"correlationId\":\"" + upload + "\",\"traceparent\":null,"
				+ "\"owner\":\"alice\",\"payload\":{\"uploadId\":\"" + upload + "\",\"fileIds\":[\"" + file + "\"]}}";
		EventEnvelope<? extends EventPayload> event = this.codec.decode(old.getBytes(StandardCharsets.UTF_8));
		assertThat(event.payload()).isEqualTo(new UploadCompleted(upload, List.of(file), false));
	}

	@Test
	void theSessionFlagSurvivesARoundTrip() {
		UploadCompleted session = new UploadCompleted(UUID.randomUUID(), List.of(UUID.randomUUID()), true);
		byte[] bytes = this.codec.encode(EventEnvelope.of(session, "c", "bob", null));
		assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"session\":true");
		assertThat(this.codec.decode(bytes).payload()).isEqualTo(session);
	}

}
