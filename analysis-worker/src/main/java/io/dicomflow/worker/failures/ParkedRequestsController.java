package io.dicomflow.worker.failures;

import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' view of the parking queue: list what was parked and why, put requests back on the work queue.
 * Needs {@code ROLE_ADMIN} (see the worker's security configuration).
 */
@RestController
@Validated
@RequestMapping("/api/admin/analysis/parked")
class ParkedRequestsController {

	private static final Logger log = LoggerFactory.getLogger(ParkedRequestsController.class);

	private final ParkedRequests parked;

	ParkedRequestsController(ParkedRequests parked) {
		this.parked = parked;
	}

	@GetMapping
	ParkedList list(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		List<ParkedRequests.Parked> messages = this.parked.list(limit);
		return new ParkedList(messages.size(), messages);
	}

	/** Re-queues the given message ids, or every parked request when the body names none. */
	@PostMapping("/requeue")
	ResponseEntity<Requeued> requeue(@RequestBody(required = false) RequeueRequest request,
			Authentication operator) {
		Set<String> ids = (request == null || request.messageIds() == null) ? Set.of()
				: Set.copyOf(request.messageIds());
		List<String> requeued = this.parked.requeue(ids);
		log.info("{} re-queued {} parked analysis requests", operator.getName(), requeued.size());
		return ResponseEntity.ok(new Requeued(requeued.size(), requeued));
	}

	/**
	 * @param count number of entries
	 * @param messages the parked requests, oldest first
	 */
	record ParkedList(int count, List<ParkedRequests.Parked> messages) {
	}

	/** @param messageIds the message ids to re-queue; absent or empty for all */
	record RequeueRequest(List<String> messageIds) {
	}

	/**
	 * @param count number re-queued
	 * @param messageIds their ids
	 */
	record Requeued(int count, List<String> messageIds) {
	}

}
