package io.dicomflow.notification.feed;

import java.util.List;

import io.dicomflow.common.identity.Roles;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Catch-up over HTTP: the caller's events after a sequence number. {@code lastSeq} tells a client whether it
 * has everything (its own last sequence equals it) or missed something. An uploader (who may follow states but
 * not read results, as on the REST API) gets the entries without their analysis figures.
 */
@RestController
@Validated
class EventsController {

	private final UserFeed feed;

	EventsController(UserFeed feed) {
		this.feed = feed;
	}

	@GetMapping("/api/events")
	Events events(@RequestParam(defaultValue = "0") @Min(0) long after,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit, Authentication caller) {
		long head = this.feed.head(caller.getName());
		boolean seesResults = Roles.mayReadResults(caller);
		List<FeedEntry> entries = this.feed.after(caller.getName(), after, limit)
			.stream()
			.map((entry) -> entry.forReader(seesResults))
			.toList();
		return new Events(head, entries);
	}

	/**
	 * @param lastSeq the newest sequence number of the caller's feed
	 * @param events the entries after the requested one, oldest first, at most {@code limit}
	 */
	record Events(long lastSeq, List<FeedEntry> events) {
	}

}
