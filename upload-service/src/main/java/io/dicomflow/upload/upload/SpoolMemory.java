package io.dicomflow.upload.upload;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * The heap all requests together may use to hold uploaded parts instead of writing them to temporary files
 * ({@code dicomflow.upload.spool-memory-total}); a part that does not fit goes to disk.
 */
@Component
class SpoolMemory {

	private final long total;

	private final AtomicLong used = new AtomicLong();

	SpoolMemory(UploadProperties properties) {
		this.total = properties.spoolMemoryTotal().toBytes();
	}

	/** Takes {@code bytes} of the budget if they are free. */
	boolean reserve(long bytes) {
		while (true) {
			long now = this.used.get();
			if (now + bytes > this.total) {
				return false;
			}
			if (this.used.compareAndSet(now, now + bytes)) {
				return true;
			}
		}
	}

	void release(long bytes) {
		this.used.addAndGet(-bytes);
	}

	long used() {
		return this.used.get();
	}

}
