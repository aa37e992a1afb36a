package io.dicomflow.upload.tus;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The tus spool holds whole DICOM files while they arrive (patient data at rest outside S3): a directory
 * only this process's user can enter ({@code 0700}), with files only it can read ({@code 0600}), whatever the
 * umask. The default spool is under the shared temporary directory, where another local user could create
 * the directory first to read what lands in it: an existing directory that is a symbolic link or belongs to
 * someone else is refused, and one of ours with wider permissions is tightened.
 */
final class PrivateSpool {

	static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

	static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	private PrivateSpool() {
	}

	/** Creates {@code name} (new, empty, {@code 0600}) in {@code directory}, made private first. */
	static Path newFile(Path directory, String name) throws IOException {
		ensurePrivate(directory);
		Path file = directory.resolve(name);
		if (posix()) {
			return Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
		}
		return Files.createFile(file);
	}

	/** Creates {@code directory} as {@code 0700}, or checks and tightens an existing one. */
	static void ensurePrivate(Path directory) throws IOException {
		if (!posix()) {
			Files.createDirectories(directory);
			return;
		}
		Path parent = directory.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		try {
			FileAttribute<Set<PosixFilePermission>> owner = PosixFilePermissions.asFileAttribute(DIRECTORY);
			Files.createDirectory(directory, owner);
			// the umask may have taken bits away, never added; set exactly what is meant
			Files.setPosixFilePermissions(directory, DIRECTORY);
			return;
		}
		catch (FileAlreadyExistsException existing) {
			// checked below
		}
		if (Files.isSymbolicLink(directory) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			throw new IOException("tus spool " + directory + " is not a plain directory; refusing to spool into it");
		}
		PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		UserPrincipal me = FileSystems.getDefault()
			.getUserPrincipalLookupService()
			.lookupPrincipalByName(System.getProperty("user.name"));
		if (!view.readAttributes().owner().equals(me)) {
			throw new IOException("tus spool " + directory + " belongs to " + view.readAttributes().owner().getName()
					+ ", not to " + me.getName() + "; refusing to spool into it");
		}
		if (!view.readAttributes().permissions().equals(DIRECTORY)) {
			view.setPermissions(DIRECTORY);
		}
	}

	private static boolean posix() {
		return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
	}

}
