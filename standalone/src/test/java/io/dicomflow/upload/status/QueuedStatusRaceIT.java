package io.dicomflow.upload.status;

import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.standalone.DicomflowServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker's confirm of a file's ImageUploaded (QUEUED) can reach the database after the analysis result
 * (DONE): under load the worker is faster than the relay's thread. The QUEUED update must then leave the file
 * DONE. Loading the entity and writing it back did not: it read STORED, waited for the DONE transaction's row
 * lock and then wrote QUEUED over DONE, and the file never became NOTIFIED (seen in the end-to-end benchmark).
 */
class QueuedStatusRaceIT {

	private static Infrastructure infrastructure;

	private static DicomflowServices services;

	@BeforeAll
	static void start() throws Exception {
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		Map<String, Object> properties = new LinkedHashMap<>(infrastructure.springProperties());
		properties.put("dicomflow.storage.create-bucket", true);
		// no request is made: any key makes the services start
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		properties.put("dicomflow.security.jwt.public-key", "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----");
		properties.put("dicomflow.security.jwt.issuer-uri", "https://issuer.dicomflow.test");
		services = DicomflowServices.start(properties, 0);
	}

	@AfterAll
	static void stop() {
		if (services != null) {
			services.close();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	@Test
	void aQueuedMarkWaitingForTheDoneTransactionLeavesTheFileDone() throws Exception {
		JdbcTemplate db = services.upload().getBean(JdbcTemplate.class);
		FileStatusUpdater updater = services.upload().getBean(FileStatusUpdater.class);
		UUID file = UUID.randomUUID();
		UUID event = UUID.randomUUID();
		storedFile(db, file, event, "k");
		db.update("insert into upload_file_transition (file_id, state) values (?, 'RECEIVED'), (?, 'STORED')", file,
				file);

		CompletableFuture<Void> queued;
		try (Connection analysis = services.upload().getBean(DataSource.class).getConnection()) {
			analysis.setAutoCommit(false);
			try (PreparedStatement done = analysis
				.prepareStatement("update upload_file set state = 'DONE', result_id = 'r' where id = ?")) {
				done.setObject(1, file);
				done.executeUpdate();
			}
			// the relay's thread marks the file QUEUED while the DONE transaction holds the row
			queued = CompletableFuture.runAsync(() -> updater.queued(List.of(event)));
			Thread.sleep(1000);
			assertThat(queued).isNotDone();
			analysis.commit();
		}
		queued.get(30, TimeUnit.SECONDS);

		assertThat(db.queryForObject("select state from upload_file where id = ?", String.class, file))
			.isEqualTo("DONE");
		assertThat(db.queryForList("select state from upload_file_transition where file_id = ?", String.class, file))
			.containsExactlyInAnyOrder("RECEIVED", "STORED");
	}

	@Test
	void aStoredFileBecomesQueuedWithItsTransition() {
		JdbcTemplate db = services.upload().getBean(JdbcTemplate.class);
		FileStatusUpdater updater = services.upload().getBean(FileStatusUpdater.class);
		UUID file = UUID.randomUUID();
		UUID event = UUID.randomUUID();
		storedFile(db, file, event, "k2");

		updater.queued(List.of(event, UUID.randomUUID()));

		assertThat(db.queryForObject("select state from upload_file where id = ?", String.class, file))
			.isEqualTo("QUEUED");
		assertThat(db.queryForList("select state from upload_file_transition where file_id = ?", String.class, file))
			.containsExactly("QUEUED");
	}

	/** A STORED file of a new upload of alice's, announced by {@code event}, stored under {@code key}. */
	private static void storedFile(JdbcTemplate db, UUID file, UUID event, String key) {
		UUID upload = UUID.randomUUID();
		db.update("insert into upload (id, owner) values (?, 'alice')", upload);
		db.update("insert into upload_file (id, upload_id, owner, state, sop_instance_uid, study_instance_uid, "
				+ "series_instance_uid, object_key, sha256, size_bytes, event_id) values (?, ?, 'alice', 'STORED', "
				+ "'1.2.3.4', '1.2.3', '1.2.3.5', ?, 'h', 1, ?)", file, upload, key, event);
	}

}
