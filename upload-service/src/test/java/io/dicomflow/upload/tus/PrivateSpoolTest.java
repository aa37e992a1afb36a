package io.dicomflow.upload.tus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tus spool is readable by this process's user only, however it was found. */
class PrivateSpoolTest {

	@TempDir
	Path temp;

	@Test
	void aNewSpoolIs0700AndItsFiles0600() throws Exception {
		Path spool = this.temp.resolve("a/b/dicomflow-tus");

		Path file = PrivateSpool.newFile(spool, "upload-1");

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(file.getParent()).isEqualTo(spool);
	}

	@Test
	void anExistingSpoolOpenToOthersIsTightened() throws Exception {
		Path spool = Files.createDirectory(this.temp.resolve("dicomflow-tus"));
		Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxrwx"));

		PrivateSpool.newFile(spool, "upload-2");

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool))).isEqualTo("rwx------");
	}

	@Test
	void aSymbolicLinkInPlaceOfTheSpoolIsRefused() throws Exception {
		Path elsewhere = Files.createDirectory(this.temp.resolve("elsewhere"));
		Path spool = Files.createSymbolicLink(this.temp.resolve("dicomflow-tus"), elsewhere);

		assertThatThrownBy(() -> PrivateSpool.newFile(spool, "upload-3")).hasMessageContaining("not a plain directory");
		assertThat(elsewhere).isEmptyDirectory();
	}

}
