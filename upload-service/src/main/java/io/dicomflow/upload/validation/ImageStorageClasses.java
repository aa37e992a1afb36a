package io.dicomflow.upload.validation;

import java.util.Set;

/**
 * SOP classes whose instances are images (PS3.4 B.5 "Storage SOP Classes" with an Image IOD), so Pixel Data
 * is mandatory. A positive list: an unlisted class (SR, presentation state, waveform, encapsulated PDF, RT
 * plan...) is not required to carry pixels.
 */
final class ImageStorageClasses {

	private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";

	private static final Set<String> SUFFIXES = Set.of(
			// CR, DX, MG, IO
			"1", "1.1", "1.1.1", "1.2", "1.2.1", "1.3", "1.3.1",
			// CT, enhanced/legacy CT
			"2", "2.1", "2.2",
			// US multi-frame, MR, enhanced MR, MR spectroscopy excluded, enhanced MR colour
			"3.1", "4", "4.1", "4.3", "4.4",
			// US, enhanced US volume
			"6.1", "6.2",
			// secondary capture family
			"7", "7.1", "7.2", "7.3", "7.4",
			// XA, enhanced XA, XRF, enhanced XRF, 3D XA/CF
			"12.1", "12.1.1", "12.2", "12.2.1", "13.1.1", "13.1.2",
			// breast tomosynthesis, breast projection
			"13.1.3", "13.1.4", "13.1.5",
			// NM, segmentation
			"20", "66.4",
			// VL endoscopic/microscopic/photographic/slide, ophthalmic photography and tomography
			"77.1.1", "77.1.1.1", "77.1.2", "77.1.2.1", "77.1.3", "77.1.4", "77.1.4.1", "77.1.5.1", "77.1.5.2",
			"77.1.5.4", "77.1.6",
			// PET, enhanced/legacy PET, RT image
			"128", "130", "128.1", "481.1");

	private ImageStorageClasses() {
	}

	static boolean isImage(String sopClassUid) {
		return sopClassUid.startsWith(STORAGE) && SUFFIXES.contains(sopClassUid.substring(STORAGE.length()));
	}

}
