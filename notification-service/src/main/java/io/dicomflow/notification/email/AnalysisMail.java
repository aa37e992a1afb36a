package io.dicomflow.notification.email;

import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;

/**
 * The subject and text of a notification email. Only ids, UIDs and figures: the mail leaves the system, so it
 * carries no patient data.
 *
 * @param subject subject line
 * @param text plain-text body
 */
record AnalysisMail(String subject, String text) {

	static AnalysisMail of(EventEnvelope<? extends EventPayload> event, String portalUrl) {
		String link = (portalUrl == null || portalUrl.isBlank()) ? ""
				: "\nSee it in the portal: " + portalUrl + "\n";
		if (event.payload() instanceof AnalysisCompleted done) {
			return new AnalysisMail("dicomflow: analysis ready for instance " + done.sopInstanceUid(),
					"""
							The analysis of one of your uploaded images is ready.

							Upload:                        %s
							SOP Instance UID:              %s
							Result id:                     %s
							Device:                        %s
							Data size:                     %d values
							Average before normalization:  %s
							Average after normalization:   %s
							%s"""
						.formatted(done.uploadId(), done.sopInstanceUid(), done.resultId(), done.deviceName(),
								done.dataSize(), done.averageBeforeNormalization(), done.averageAfterNormalization(),
								link));
		}
		if (event.payload() instanceof AnalysisFailed failed) {
			return new AnalysisMail("dicomflow: analysis failed for instance " + failed.sopInstanceUid(), """
					One of your uploaded images could not be analysed.

					Upload:            %s
					SOP Instance UID:  %s
					Reason:            %s (%s)
					%s""".formatted(failed.uploadId(), failed.sopInstanceUid(), failed.reason(), failed.reasonCode(),
					link));
		}
		throw new IllegalArgumentException("no mail for " + event.type());
	}

}
