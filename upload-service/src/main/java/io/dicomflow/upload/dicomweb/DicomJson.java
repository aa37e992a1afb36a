package io.dicomflow.upload.dicomweb;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.dicomflow.common.dicom.DicomDataset;
import io.dicomflow.common.dicom.DicomElement;
import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.VR;
import io.dicomflow.common.dicom.dictionary.DataDictionary;
import io.dicomflow.common.dicom.dictionary.DictionaryEntry;

/**
 * The DICOM JSON Model (PS3.18 Annex F.2): an object keyed by 8-hex-digit tags, each with its {@code vr} and,
 * when it has one, its {@code Value} (or {@code InlineBinary}). Built as plain maps so that any JSON writer
 * produces it.
 */
final class DicomJson {

	/** Attributes sorted by tag, as PS3.18 F.2.1 recommends. */
	private final Map<String, Object> attributes = new TreeMap<>();

	static DicomJson object() {
		return new DicomJson();
	}

	Map<String, Object> toMap() {
		return this.attributes;
	}

	DicomJson put(int tag, String vr, List<?> values) {
		Map<String, Object> attribute = new LinkedHashMap<>();
		attribute.put("vr", vr);
		if (values != null && !values.isEmpty()) {
			attribute.put("Value", values);
		}
		this.attributes.put(key(tag), attribute);
		return this;
	}

	/** A string-valued attribute; a null value gives the attribute without a value (PS3.18 F.2.5). */
	DicomJson string(int tag, String vr, String value) {
		return put(tag, vr, (value == null || value.isEmpty()) ? null : List.of(value));
	}

	DicomJson strings(int tag, String vr, List<String> values) {
		return put(tag, vr, values);
	}

	DicomJson number(int tag, String vr, Number value) {
		return put(tag, vr, (value == null) ? null : List.of(value));
	}

	DicomJson personName(int tag, String value) {
		return put(tag, "PN", (value == null || value.isEmpty()) ? null : List.of(personNameValue(value)));
	}

	DicomJson sequence(int tag, List<DicomJson> items) {
		return put(tag, "SQ", items.stream().map(DicomJson::toMap).toList());
	}

	static String key(int tag) {
		return String.format("%08X", tag);
	}

	/** {@code Alphabetic=Ideographic=Phonetic} → the PN object of PS3.18 F.2.2. */
	static Map<String, String> personNameValue(String value) {
		String[] groups = value.split("=", -1);
		Map<String, String> name = new LinkedHashMap<>();
		String[] labels = { "Alphabetic", "Ideographic", "Phonetic" };
		for (int i = 0; i < groups.length && i < labels.length; i++) {
			if (!groups[i].isEmpty()) {
				name.put(labels[i], groups[i]);
			}
		}
		return name;
	}

	/**
	 * The whole dataset, recursively. Group lengths are left out (PS3.18 F.2: they may be), and so are values the
	 * reader did not keep (bulk data such as Pixel Data), which are retrieved with the instance.
	 */
	static DicomJson of(DicomDataset dataset) {
		DicomJson json = new DicomJson();
		for (DicomElement element : dataset.elements()) {
			int tag = element.tag();
			if (Tags.element(tag) == 0 || Tags.isPixelData(tag) || element.isBulk()) {
				continue;
			}
			VR vr = vrOf(element);
			if (vr == VR.SQ || element.isSequence()) {
				List<DicomJson> items = new ArrayList<>();
				for (DicomDataset item : element.items()) {
					items.add(of(item));
				}
				json.sequence(tag, items);
				continue;
			}
			if (vr.kind() == VR.Kind.OPAQUE) {
				json.inlineBinary(tag, vr, dataset.bigEndian(), element.value());
			}
			else {
				json.put(tag, vr.name(), values(dataset, element, vr));
			}
		}
		return json;
	}

	private static VR vrOf(DicomElement element) {
		if (element.vr() != VR.UN) {
			return element.vr();
		}
		DictionaryEntry entry = DataDictionary.standard().lookup(element.tag());
		if (entry == null) {
			return Tags.isPrivateCreator(element.tag()) ? VR.LO : VR.UN;
		}
		return entry.defaultVr() == VR.SQ ? VR.UN : entry.defaultVr();
	}

	private static List<?> values(DicomDataset dataset, DicomElement element, VR vr) {
		if (element.value() == null || element.value().length == 0) {
			return null;
		}
		int tag = element.tag();
		switch (vr) {
			case PN:
				return dataset.strings(tag).stream().map((v) -> v.isEmpty() ? null : personNameValue(v)).toList();
			case DS:
			case IS:
				return dataset.strings(tag).stream().map(DicomJson::decimalOrNull).toList();
			case FL:
			case FD: {
				List<Object> out = new ArrayList<>();
				for (double d : dataset.doubles(tag)) {
					out.add((Double.isNaN(d) || Double.isInfinite(d)) ? null : d);
				}
				return out;
			}
			case US:
			case SS:
			case UL:
			case SL:
			case SV:
			case UV: {
				List<Object> out = new ArrayList<>();
				for (long l : dataset.longs(tag)) {
					out.add(l);
				}
				return out;
			}
			case AT: {
				List<Object> out = new ArrayList<>();
				for (long l : dataset.longs(tag)) {
					out.add(key((int) l));
				}
				return out;
			}
			default:
				break;
		}
		if (vr.kind() == VR.Kind.OPAQUE) {
			return null;
		}
		return dataset.strings(tag).stream().map((v) -> v.isEmpty() ? null : v).toList();
	}

	/**
	 * OB, OW, UN... values, base64 as PS3.18 F.2.7 says. InlineBinary is little endian; a big endian word value is
	 * left without its value rather than sent with swapped bytes.
	 */
	private void inlineBinary(int tag, VR vr, boolean bigEndian, byte[] value) {
		Map<String, Object> attribute = new LinkedHashMap<>();
		attribute.put("vr", vr.name());
		if (value != null && value.length > 0 && (!bigEndian || vr == VR.OB || vr == VR.UN)) {
			attribute.put("InlineBinary", Base64.getEncoder().encodeToString(value));
		}
		this.attributes.put(key(tag), attribute);
	}

	private static Object decimalOrNull(String text) {
		if (text.isEmpty()) {
			return null;
		}
		try {
			java.math.BigDecimal value = new java.math.BigDecimal(text.strip());
			return value.scale() <= 0 && value.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) < 0
					? (Object) value.longValueExact() : (Object) value.doubleValue();
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return null;
		}
	}

}
