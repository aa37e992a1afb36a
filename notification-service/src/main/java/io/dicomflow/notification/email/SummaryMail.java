package io.dicomflow.notification.email;

import org.springframework.web.util.HtmlUtils;

/**
 * The subject, plain text and HTML of an upload's summary email. Only ids, UIDs and figures: the mail leaves
 * the system, so it carries no patient data.
 *
 * @param subject subject line
 * @param text plain-text body
 * @param html HTML body
 */
record SummaryMail(String subject, String text, String html) {

	static String subject(UploadSummary summary) {
		return "dicomflow: upload " + summary.uploadId() + " analysed (" + summary.done() + " done, "
				+ summary.failed() + " failed)";
	}

	static SummaryMail of(UploadSummary summary, String portalUrl) {
		boolean link = portalUrl != null && !portalUrl.isBlank();
		StringBuilder text = new StringBuilder();
		text.append("Every file of your upload ").append(summary.uploadId()).append(" has been analysed: ")
			.append(summary.done()).append(" done, ").append(summary.failed()).append(" failed.\n\n");
		StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
			.append("<p>Every file of your upload <code>").append(esc(summary.uploadId().toString()))
			.append("</code> has been analysed: <b>").append(summary.done()).append(" done</b>, <b>")
			.append(summary.failed()).append(" failed</b>.</p>")
			.append("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>SOP Instance UID</th>")
			.append("<th>Outcome</th><th>Device</th><th>Values</th><th>Average</th><th>Average normalised</th>")
			.append("<th>Reason</th></tr>");
		for (UploadSummary.FileOutcome file : summary.files()) {
			if ("DONE".equals(file.outcome())) {
				text.append("- ").append(file.sopInstanceUid()).append(": done, result ").append(file.resultId())
					.append(", ").append(file.dataSize()).append(" values, average ").append(file.averageBefore())
					.append(", normalised ").append(file.averageAfter());
				if (file.deviceName() != null && !file.deviceName().isBlank()) {
					text.append(", device ").append(file.deviceName());
				}
				text.append('\n');
				html.append("<tr><td>").append(esc(file.sopInstanceUid())).append("</td><td>done</td><td>")
					.append(esc(file.deviceName())).append("</td><td>").append(file.dataSize()).append("</td><td>")
					.append(file.averageBefore()).append("</td><td>").append(file.averageAfter())
					.append("</td><td></td></tr>");
			}
			else {
				text.append("- ").append(file.sopInstanceUid()).append(": failed, ").append(file.reason())
					.append(" (").append(file.reasonCode()).append(")\n");
				html.append("<tr><td>").append(esc(file.sopInstanceUid()))
					.append("</td><td>failed</td><td></td><td></td><td></td><td></td><td>").append(esc(file.reason()))
					.append(" (").append(esc(file.reasonCode())).append(")</td></tr>");
			}
		}
		html.append("</table>");
		if (link) {
			text.append("\nSee it in the portal: ").append(portalUrl).append('\n');
			html.append("<p><a href=\"").append(esc(portalUrl)).append("\">See it in the portal</a></p>");
		}
		text.append("\nYou can turn these emails off in your notification preferences.\n");
		html.append("<p style=\"color:#666\">You can turn these emails off in your notification preferences.</p>")
			.append("</body></html>");
		return new SummaryMail(subject(summary), text.toString(), html.toString());
	}

	private static String esc(String value) {
		return (value == null) ? "" : HtmlUtils.htmlEscape(value);
	}

}
