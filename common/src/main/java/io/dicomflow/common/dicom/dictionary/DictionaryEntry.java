package io.dicomflow.common.dicom.dictionary;

import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.VR;

/**
 * One attribute of the data dictionary (PS3.6). Repeating groups such as overlays (60xx,eeee) are one
 * entry covering a range; {@code tag} is then the first tag of the range.
 *
 * @param tag        the tag, or the first tag of a repeating range
 * @param vrCode     the VR as written in the dictionary: a PS3.5 code, or one of the ambiguous codes
 *                   {@code xs} (US or SS), {@code ox} (OB or OW), {@code px} (pixel data), {@code lt}
 *                   (US, SS or OW lookup data), {@code up} (UL pointer), {@code na} (items, delimiters)
 * @param vm         value multiplicity, e.g. {@code 1}, {@code 2-n}, {@code 1-n}
 * @param keyword    the PS3.6 keyword, e.g. {@code PatientName}
 * @param retired    whether PS3.6 marks the attribute as retired
 * @param version    origin of the entry in the source dictionary (DICOM, DICONDE, DICOS, PRIVATE...)
 */
public record DictionaryEntry(int tag, String vrCode, String vm, String keyword, boolean retired, String version) {

    /**
     * The VR used to read an implicit-VR value when the dictionary is ambiguous: US for xs/lt/up
     * (pixel-describing values are mostly unsigned), OW for ox/px, UN when the dictionary has none.
     */
    public VR defaultVr() {
        VR vr = VR.ofCode(vrCode);
        if (vr != null) {
            return vr;
        }
        return switch (vrCode) {
            case "xs", "lt" -> VR.US;
            case "up" -> VR.UL;
            case "ox", "px" -> VR.OW;
            default -> VR.UN;
        };
    }

    public String tagText() {
        return Tags.format(tag);
    }
}
