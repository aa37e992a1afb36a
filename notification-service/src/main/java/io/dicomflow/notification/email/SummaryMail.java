package io.dicomflow.notification.email;

import java.util.List;

import org.springframework.web.util.HtmlUtils;

/**
 * The subject, plain text and HTML of an upload's summary email or of a user's digest. Only ids, UIDs and figures: the mail leaves
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
		StringBuilder text = new StringBuilder();
		text.append("Every file of your upload ").append(summary.uploadId()).append(" has been analysed: ")
			.append(summary.done()).append(" done, ").append(summary.failed()).append(" failed.\n\n");
		StringBuilder html = new StringBuilder(HTML_HEAD);
		html.append("<p>Every file of your upload <code>").append(esc(summary.uploadId().toString()))
			.append("</code> has been analysed: <b>").append(summary.done()).append(" done</b>, <b>")
			.append(summary.failed()).append(" failed</b>.</p>").append(TABLE_HEAD);
		appendFiles(summary, text, html, false);
		return finish(subject(summary), text, html, portalUrl);
	}

	/**
	 * One email for every upload of a user that finished within a digest window (uploads that were not explicit
	 * sessions): a line per upload, then its files.
	 */
	static SummaryMail digest(List<UploadSummary> uploads, String portalUrl) {
		long done = uploads.stream().mapToLong(UploadSummary::done).sum();
		long failed = uploads.stream().mapToLong(UploadSummary::failed).sum();
		String count = uploads.size() + ((uploads.size() == 1) ? " upload" : " uploads");
		StringBuilder text = new StringBuilder(256 + 200 * (int) Math.min(done + failed, 10_000));
		text.append("Since the last digest, ").append(count).append(" of yours finished: ").append(done)
			.append(" files done, ").append(failed).append(" failed.\n");
		StringBuilder html = new StringBuilder(512 + 300 * (int) Math.min(done + failed, 10_000)).append(HTML_HEAD);
		html.append("<p>Since the last digest, <b>").append(count).append("</b> of yours finished: <b>").append(done)
			.append(" files done</b>, <b>").append(failed).append(" failed</b>.</p>")
			.append("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>Upload</th>")
			.append(TABLE_HEAD.substring(TABLE_HEAD.indexOf("<th>")));
		for (UploadSummary upload : uploads) {
			text.append("\nUpload ").append(upload.uploadId()).append(": ").append(upload.done()).append(" done, ")
				.append(upload.failed()).append(" failed\n");
			appendFiles(upload, text, html, true);
		}
		return finish("dicomflow: " + count + " analysed (" + done + " done, " + failed + " failed)", text, html,
				portalUrl);
	}

	private static final String HTML_HEAD = "<!DOCTYPE html><html><body style=\"font-family:sans-serif\">";

	private static final String TABLE_HEAD = "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">"
			+ "<tr><th>SOP Instance UID</th><th>Outcome</th><th>Device</th><th>Values</th><th>Average</th>"
			+ "<th>Average normalised</th><th>Reason</th></tr>";

	private static void appendFiles(UploadSummary summary, StringBuilder text, StringBuilder html,
			boolean uploadColumn) {
		String uploadCell = uploadColumn ? "<td>" + esc(summary.uploadId().toString()) + "</td>" : "";
		for (UploadSummary.FileOutcome file : summary.files()) {
			html.append("<tr>").append(uploadCell);
			if ("DONE".equals(file.outcome())) {
				text.append("- ").append(file.sopInstanceUid()).append(": done, result ").append(file.resultId())
					.append(", ").append(file.dataSize()).append(" values, average ").append(file.averageBefore())
					.append(", normalised ").append(file.averageAfter());
				if (file.deviceName() != null && !file.deviceName().isBlank()) {
					text.append(", device ").append(file.deviceName());
				}
				text.append('\n');
				html.append("<td>").append(esc(file.sopInstanceUid())).append("</td><td>done</td><td>")
					.append(esc(file.deviceName())).append("</td><td>").append(file.dataSize()).append("</td><td>")
					.append(file.averageBefore()).append("</td><td>").append(file.averageAfter())
					.append("</td><td></td></tr>");
			}
			else {
				text.append("- ").append(file.sopInstanceUid()).append(": failed, ").append(file.reason())
					.append(" (").append(file.reasonCode()).append(")\n");
				html.append("<td>").append(esc(file.sopInstanceUid()))
					.append("</td><td>failed</td><td></td><td></td><td></td><td></td><td>").append(esc(file.reason()))
					.append(" (").append(esc(file.reasonCode())).append(")</td></tr>");
			}
		}
	}

	private static SummaryMail finish(String subject, StringBuilder text, StringBuilder html, String portalUrl) {
		html.append("</table>");
		if (portalUrl != null && !portalUrl.isBlank()) {
			text.append("\nSee it in the portal: ").append(portalUrl).append('\n');
			html.append("<p><a href=\"").append(esc(portalUrl)).append("\">See it in the portal</a></p>");
		}
		text.append("\nYou can turn these emails off in your notification preferences.\n");
		html.append("<p style=\"color:#666\">You can turn these emails off in your notification preferences.</p>")
			.append("</body></html>");
		return new SummaryMail(subject, text.toString(), html.toString());
	}

	private static String esc(String value) {
		return (value == null) ? "" : HtmlUtils.htmlEscape(value);
	}

}
