package io.dicomflow.standalone;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.events.UploadCompleted;
import io.dicomflow.upload.testing.Part10Writer;
import io.dicomflow.upload.upload.IncomingFile;
import io.dicomflow.upload.upload.UploadIngest;
import io.dicomflow.upload.upload.UploadReceipt;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one single-file request (how modalities send) costs the database: its statements, round trips and
 * transactions, counted on the wire by the PostgreSQL driver's own trace of the messages it sends, for the
 * ingesting thread only (the relay and the other services share the JVM). The file, its {@code ImageUploaded}
 * event and the upload's {@code UploadCompleted} event are committed together, so the claim's transaction and
 * that one are all there is.
 */
class IngestRoundTripsIT {

	private final Pipeline pipeline = Pipeline.get();

	private final UploadIngest ingest = this.pipeline.services.upload().getBean(UploadIngest.class);

	private final JdbcTemplate db = this.pipeline.services.upload().getBean(JdbcTemplate.class);

	@Test
	void aSingleFileRequestCommitsTwoTransactionsAndAnnouncesTheUploadOnce() {
		String owner = "roundtrips-" + UUID.randomUUID();
		// warm up: the first request loads metadata and prepares statements
		this.ingest.ingest(owner, List.of(file(image().toBytes())), Traceparent.newRoot());

		WireCount wire = WireCount.onThisThread();
		UploadReceipt receipt;
		try {
			receipt = this.ingest.ingest(owner, List.of(file(image().toBytes())), Traceparent.newRoot());
		}
		finally {
			wire.close();
		}
		System.out.printf("single-file request: %d statements, %d round trips, %d transactions%n",
				wire.executes.get(), wire.syncs.get(), wire.transactions.get());
		assertThat(receipt.anyAccepted()).isTrue();
		UUID fileId = receipt.files().get(0).fileId();
		// the claim commits on its own; then one transaction for the file with both events (there were two, the
		// UploadCompleted row having had one of its own)
		assertThat(wire.transactions.get()).isEqualTo(1);
		// the owner's recorded files, the claim, then: mark STORED, upload, file, its two transitions, its DICOMweb
		// row, two outbox rows, COMMIT (13 before: no lookup of the upload this request creates, one COMMIT fewer)
		assertThat(wire.executes.get()).isLessThanOrEqualTo(11);

		List<Map<String, Object>> events = this.db.queryForList(
				"select routing_key, payload from outbox_event where headers ->> 'correlationId' = ?",
				receipt.uploadId().toString());
		assertThat(events).extracting((row) -> row.get("routing_key"))
			.containsExactlyInAnyOrder("image.uploaded", "upload.completed");
		assertThat(events).filteredOn((row) -> "upload.completed".equals(row.get("routing_key")))
			.singleElement()
			.satisfies((row) -> assertThat(((UploadCompleted) new EventCodec().decode((byte[]) row.get("payload"))
				.payload()).fileIds()).containsExactly(fileId));
	}

	@Test
	void theUploadIsAnnouncedOnceWithItsStoredFilesWhetherOrNotTheLastFileIsStored() {
		String owner = "roundtrips-" + UUID.randomUUID();
		byte[] first = image().toBytes();
		byte[] second = image().toBytes();
		// both stored: the second file's transaction announces both
		UploadReceipt both = this.ingest.ingest(owner, List.of(file(first), file(second)), Traceparent.newRoot());
		assertThat(completedFiles(both.uploadId())).containsExactly(both.files().get(0).fileId(),
				both.files().get(1).fileId());
		// the last file is a duplicate: the upload is announced afterwards, with the one file it stored
		byte[] third = image().toBytes();
		UploadReceipt lastDuplicate = this.ingest.ingest(owner, List.of(file(third), file(first)), Traceparent.newRoot());
		assertThat(lastDuplicate.files().get(1).isAccepted()).isFalse();
		assertThat(completedFiles(lastDuplicate.uploadId())).containsExactly(lastDuplicate.files().get(0).fileId());
	}

	/** The file ids of the upload's one UploadCompleted event. */
	private List<UUID> completedFiles(UUID uploadId) {
		List<byte[]> payloads = this.db.queryForList(
				"select payload from outbox_event where headers ->> 'correlationId' = ? and routing_key = 'upload.completed'",
				byte[].class, uploadId.toString());
		assertThat(payloads).hasSize(1);
		return ((UploadCompleted) new EventCodec().decode(payloads.get(0)).payload()).fileIds();
	}

	private static Part10Writer image() {
		// 0.5 MiB of pixels, as a modality's single image
		byte[] pixels = new byte[512 * 1024];
		new java.util.Random(7).nextBytes(pixels);
		return Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), Part10Writer.uid(),
				Part10Writer.uid(), 512, 1024, pixels);
	}

	static IncomingFile file(byte[] bytes) {
		return new IncomingFile() {
			@Override
			public String name() {
				return "image.dcm";
			}

			@Override
			public long size() {
				return bytes.length;
			}

			@Override
			public InputStream open() {
				return new ByteArrayInputStream(bytes);
			}
		};
	}

	/** Counts the driver's Execute and Sync messages and the transactions it opens for one thread. */
	static final class WireCount extends Handler implements AutoCloseable {

		private static final Logger DRIVER = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

		final AtomicInteger executes = new AtomicInteger();

		final AtomicInteger syncs = new AtomicInteger();

		final AtomicInteger transactions = new AtomicInteger();

		private final Thread thread = Thread.currentThread();

		private Level previous;

		static WireCount onThisThread() {
			WireCount count = new WireCount();
			count.previous = DRIVER.getLevel();
			count.setLevel(Level.ALL);
			DRIVER.addHandler(count);
			DRIVER.setLevel(Level.FINEST);
			return count;
		}

		@Override
		public void publish(LogRecord record) {
			if (Thread.currentThread() != this.thread || record.getMessage() == null) {
				return;
			}
			String message = record.getMessage();
			if (message.contains("FE=> Execute")) {
				this.executes.incrementAndGet();
			}
			else if (message.contains("FE=> Sync")) {
				this.syncs.incrementAndGet();
			}
			// a transaction opens with the driver's BEGIN (a statement outside one commits on its own)
			if (message.contains("FE=> SimpleQuery") && record.getParameters() != null
					&& record.getParameters().length > 0 && "BEGIN".equals(String.valueOf(record.getParameters()[0]))) {
				this.transactions.incrementAndGet();
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
			DRIVER.setLevel(this.previous);
			DRIVER.removeHandler(this);
		}

	}

}
