package io.dicomflow.upload.upload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.dicomflow.common.dicom.DicomDataset;
import io.dicomflow.common.dicom.DicomElement;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.dictionary.DataDictionary;
import io.dicomflow.common.dicom.dictionary.DictionaryEntry;

/**
 * Which attributes two versions of one instance differ in, by keyword (or tag for private and unknown
 * ones). Names only, never values: the values may be patient data of someone the caller must not see.
 */
final class Differences {

	private Differences() {
	}

	static List<String> between(DicomHeader stored, DicomHeader received) {
		List<String> names = new ArrayList<>();
		compare(stored.fileMeta(), received.fileMeta(), names);
		compare(stored.dataset(), received.dataset(), names);
		long storedPixels = stored.pixelData().map((p) -> p.length()).orElse(-2L);
		long receivedPixels = received.pixelData().map((p) -> p.length()).orElse(-2L);
		if (storedPixels != receivedPixels || names.isEmpty()) {
			// same header, different bytes: the difference is in the pixel data (or after it)
			names.add("PixelData");
		}
		return names;
	}

	private static void compare(DicomDataset a, DicomDataset b, List<String> names) {
		Map<Integer, DicomElement> left = index(a);
		Map<Integer, DicomElement> right = index(b);
		TreeMap<Integer, Boolean> tags = new TreeMap<>();
		left.keySet().forEach((t) -> tags.put(t, true));
		right.keySet().forEach((t) -> tags.put(t, true));
		for (int tag : tags.keySet()) {
			if (tag == Tags.FILE_META_GROUP_LENGTH || Tags.isPixelData(tag)) {
				continue;
			}
			if (!same(left.get(tag), right.get(tag))) {
				names.add(name(tag));
			}
		}
	}

	private static Map<Integer, DicomElement> index(DicomDataset dataset) {
		Map<Integer, DicomElement> elements = new TreeMap<>();
		for (DicomElement element : dataset.elements()) {
			elements.put(element.tag(), element);
		}
		return elements;
	}

	private static boolean same(DicomElement a, DicomElement b) {
		if (a == null || b == null) {
			return a == b;
		}
		if (a.isSequence() || b.isSequence()) {
			if (a.items().size() != b.items().size()) {
				return false;
			}
			for (int i = 0; i < a.items().size(); i++) {
				List<String> inner = new ArrayList<>();
				compare(a.items().get(i), b.items().get(i), inner);
				if (!inner.isEmpty()) {
					return false;
				}
			}
			return true;
		}
		if (a.value() == null || b.value() == null) {
			return a.length() == b.length();
		}
		return Arrays.equals(trim(a.value()), trim(b.value()));
	}

	/** Trailing padding (space or NUL) is not a difference. */
	private static byte[] trim(byte[] value) {
		int end = value.length;
		while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == 0)) {
			end--;
		}
		return (end == value.length) ? value : Arrays.copyOf(value, end);
	}

	private static String name(int tag) {
		return DataDictionary.standard().entry(tag).map(DictionaryEntry::keyword).filter((k) -> !k.isBlank())
			.orElse(Tags.format(tag));
	}

}
