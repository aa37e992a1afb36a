package io.dicomflow.notification.preferences;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own notification preferences (opt out of emails; pushes and the feed stay). */
@RestController
@RequestMapping("/api/notifications/preferences")
class PreferencesController {

	private final NotificationPreferences preferences;

	PreferencesController(NotificationPreferences preferences) {
		this.preferences = preferences;
	}

	@GetMapping
	Preferences get(Authentication caller) {
		return new Preferences(this.preferences.emailEnabled(caller.getName()));
	}

	@PutMapping
	Preferences put(@Valid @RequestBody Preferences body, Authentication caller) {
		this.preferences.setEmailEnabled(caller.getName(), body.email());
		return new Preferences(this.preferences.emailEnabled(caller.getName()));
	}

	/** @param email whether summary emails are sent */
	record Preferences(@NotNull Boolean email) {
	}

}
