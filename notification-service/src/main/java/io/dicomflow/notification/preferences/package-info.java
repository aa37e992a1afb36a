/** Per-user notification choices (email opt-out), kept by the notification service. */
package io.dicomflow.notification.preferences;
