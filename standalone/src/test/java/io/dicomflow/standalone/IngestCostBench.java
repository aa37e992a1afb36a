package io.dicomflow.standalone;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.UUID;

import io.dicomflow.common.events.Traceparent;
import io.dicomflow.upload.testing.Part10Writer;
import io.dicomflow.upload.upload.IncomingFile;
import io.dicomflow.upload.upload.UploadIngest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test but a measuring driver (its name matches neither the unit-test nor the IT pattern, so
 * {@code ./mvnw verify} never runs it): N single-file requests of 0.5 MiB each (how modalities send) through the
 * standalone's own {@link UploadIngest}, in process, one after the other; prints the CPU of the ingesting thread
 * and of the whole JVM (which also relays the events and analyses the images) per upload, and the wall time, and
 * the database round trips of the ingesting thread per upload. Run: {@code ./mvnw -B -q -pl standalone -am verify
 * -Dit.test=IngestCostBench -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dinfra=local}.
 */
class IngestCostBench {

	private static final int WARM_UP = 100;

	private static final int UPLOADS = 500;

	private final UploadIngest ingest = Pipeline.get().services.upload().getBean(UploadIngest.class);

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	@Test
	void cpuPerSingleFileUpload() {
		String owner = "bench-" + UUID.randomUUID();
		byte[] pixels = new byte[512 * 1024];
		new java.util.Random(11).nextBytes(pixels);
		run(owner, pixels, WARM_UP);
		long thread = this.threads.getCurrentThreadCpuTime();
		long process = this.os.getProcessCpuTime();
		long wall = System.nanoTime();
		IngestRoundTripsIT.WireCount wire = IngestRoundTripsIT.WireCount.onThisThread();
		try {
			run(owner, pixels, UPLOADS);
		}
		finally {
			wire.close();
		}
		double perThread = (this.threads.getCurrentThreadCpuTime() - thread) / 1e6 / UPLOADS;
		double perProcess = (this.os.getProcessCpuTime() - process) / 1e6 / UPLOADS;
		double perWall = (System.nanoTime() - wall) / 1e6 / UPLOADS;
		System.out.printf(
				"IngestCostBench: %d single-file uploads of 0.5 MiB: ingest thread %.2f ms CPU, process %.2f ms CPU, "
						+ "wall %.2f ms per upload; per upload %.2f statements, %.2f round trips, %.2f transactions%n",
				UPLOADS, perThread, perProcess, perWall, wire.executes.get() / (double) UPLOADS,
				wire.syncs.get() / (double) UPLOADS, wire.transactions.get() / (double) UPLOADS);
	}

	private void run(String owner, byte[] pixels, int n) {
		for (int i = 0; i < n; i++) {
			byte[] bytes = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, Part10Writer.uid(), Part10Writer.uid(),
					Part10Writer.uid(), 512, 1024, pixels).toBytes();
			IncomingFile file = IngestRoundTripsIT.file(bytes);
			assertThat(this.ingest.ingest(owner, List.of(file), Traceparent.newRoot()).anyAccepted()).isTrue();
		}
	}

}
